import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { TestProject } from "vitest/node";
import { readMigrations } from "@/lib/db/migrate";
import { migratePglite } from "@/lib/db/pglite";
import { connectPostgres, migratePostgres } from "@/lib/db/postgres";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    postgresTemplate: string | null;
  }
}

/**
 * Migrates once per run: a PGlite data dir dumped to a tarball that every test file loads (instead
 * of replaying migrations), and, when DATABASE_URL_TEST is set, a template database on the real
 * server that each test file copies with CREATE DATABASE … TEMPLATE.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(path.join(tmpdir(), "fluxasync-test-"));
  const migrations = await readMigrations();
  const pg = new PGlite();
  await migratePglite(pg, migrations);
  const dump = await pg.dumpDataDir("none");
  await pg.close();
  const file = path.join(dir, "pglite.tar");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteSnapshot", file);

  let template: string | null = null;
  const url = process.env.DATABASE_URL_TEST;
  if (url) {
    template = `fluxasync_template_${process.pid}`;
    const admin = connectPostgres(url, { max: 1 });
    await admin.unsafe(`drop database if exists ${template}`);
    await admin.unsafe(`create database ${template}`);
    await admin.end();
    const target = new URL(url);
    target.pathname = `/${template}`;
    const sql = connectPostgres(target.toString(), { max: 1 });
    await migratePostgres(sql, migrations);
    await sql.end();
  }
  project.provide("postgresTemplate", template);

  return async () => {
    rmSync(dir, { recursive: true, force: true });
    // The run's DATA_DIR (vitest.config.ts): sandbox mailboxes written by the tests.
    if (process.env.DATA_DIR?.includes("fluxasync-vitest-"))
      rmSync(process.env.DATA_DIR, { recursive: true, force: true });
    if (url && template) {
      const admin = connectPostgres(url, { max: 1 });
      const rows = await admin.unsafe(
        `select datname from pg_database where datname like 'fluxasync_t_%' or datname = '${template}'`,
      );
      for (const row of rows) await admin.unsafe(`drop database if exists ${row.datname} with (force)`);
      await admin.end();
    }
  };
}
