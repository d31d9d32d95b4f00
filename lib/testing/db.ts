import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { inject } from "vitest";
import { type PGliteDb, pgliteDb } from "@/lib/db/pglite";
import type { Db } from "@/lib/db/port";
import { connectPostgres, postgresDb } from "@/lib/db/postgres";
import { env } from "@/lib/env";

let snapshot: Blob | null = null;

/** A fresh, migrated embedded database, loaded from the run's snapshot (no migrations replayed). */
export async function testDb(): Promise<PGliteDb> {
  snapshot ??= new Blob([readFileSync(inject("pgliteSnapshot"))]);
  const pg = new PGlite({ loadDataDir: snapshot });
  await pg.waitReady;
  return pgliteDb(pg);
}

/** Is the real PostgreSQL suite available? In CI it must be: a suite that cannot run fails. */
export function realPostgresAvailable(): boolean {
  const available = Boolean(env.DATABASE_URL_TEST && inject("postgresTemplate"));
  if (!available && process.env.CI) {
    throw new Error("CI requires the real PostgreSQL suite: DATABASE_URL_TEST is not set (see .ci/run).");
  }
  return available;
}

/** A fresh database on the real server, copied from the migrated template. */
export async function realPostgresDb(): Promise<Db & { url: string; drop(): Promise<void> }> {
  const base = env.DATABASE_URL_TEST;
  const template = inject("postgresTemplate");
  if (!base || !template) throw new Error("DATABASE_URL_TEST is not set");
  const name = `fluxasync_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = connectPostgres(base, { max: 1 });
  await admin.unsafe(`create database ${name} template ${template}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const sql = connectPostgres(url.toString(), { max: 10 });
  const db = postgresDb(sql);
  return {
    ...db,
    url: url.toString(),
    async drop() {
      await db.close();
      const a = connectPostgres(base, { max: 1 });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
