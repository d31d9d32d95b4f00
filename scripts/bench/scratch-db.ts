import { openPglite } from "@/lib/db/pglite";
import type { Db } from "@/lib/db/port";
import { connectPostgres, migratePostgres, postgresDb } from "@/lib/db/postgres";
import { env } from "@/lib/env";

export type ScratchDb = {
  db: Db;
  /** Raw SQL for setting up the measurement (bulk inserts), outside the rpc port. */
  exec(sql: string): Promise<void>;
  /** The connection string of a real server's scratch database (null on PGlite). */
  url: string | null;
  kind: "postgres" | "pglite";
  drop(): Promise<void>;
};

/**
 * A migrated, empty database for one measurement: on the real server of `DATABASE_URL` when it is
 * set (a database created for the run and dropped after it), else an in-memory PGlite.
 */
export async function scratchDb(label: string, opts: { poolMax?: number } = {}): Promise<ScratchDb> {
  const base = env.DATABASE_URL;
  if (!base) {
    const pg = await openPglite(null);
    return {
      db: pg,
      exec: async (sql) => {
        await pg.pg.exec(sql);
      },
      url: null,
      kind: "pglite",
      drop: () => pg.close(),
    };
  }
  const name = `fluxasync_bench_${label}_${process.pid}`;
  const admin = connectPostgres(base, { max: 1 });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = connectPostgres(url.toString(), { max: opts.poolMax ?? 5 });
  await migratePostgres(sql);
  const db = postgresDb(sql);
  return {
    db,
    exec: async (text) => {
      await sql.unsafe(text);
    },
    url: url.toString(),
    kind: "postgres",
    async drop() {
      await db.close();
      const a = connectPostgres(base, { max: 1 });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
