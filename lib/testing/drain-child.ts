// A drainer process for tests/drain-kill.test.ts: drains the real job registry against the
// PostgreSQL database named by argv[2], forever, until the test kills it (SIGKILL mid-job) or
// stops it. Says "ready" on stdout once its modules are loaded, so kills land while it works.
import { connectPostgres, postgresDb } from "@/lib/db/postgres";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { logger } from "@/lib/log";

const url = process.argv[2];
if (!url) throw new Error("usage: drain-child <postgres url>");
const db = postgresDb(connectPostgres(url, { max: 5 }));
const registry = jobRegistry();
const log = logger({ drainer: process.pid });
process.stdout.write("ready\n");
for (;;) {
  const report = await drainJobs(db, registry, { budgetMs: 5_000, concurrency: 4, log });
  if (report.claimed === 0) await new Promise((r) => setTimeout(r, 100));
}
