import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { type Migration, migrate, readMigrations } from "@/lib/db/migrate";
import type { Db } from "@/lib/db/port";
import { type Row, type SqlExecutor, sqlRpc } from "@/lib/db/sql-rpc";

type Queryable = Pick<PGlite, "query" | "exec">;

function executor(pg: Queryable): SqlExecutor {
  return {
    async query(sql, params = []) {
      return (await pg.query<Row>(sql, params)).rows;
    },
    async exec(sql) {
      await pg.exec(sql);
    },
  };
}

export async function migratePglite(pg: PGlite, migrations?: Migration[]): Promise<string[]> {
  return migrate((fn) => pg.transaction((tx) => fn(executor(tx))), migrations ?? (await readMigrations()));
}

export type PGliteDb = Db & { pg: PGlite };

/** A Db over a PGlite instance (embedded Postgres in WebAssembly). */
export function pgliteDb(pg: PGlite): PGliteDb {
  const rpc = sqlRpc(executor(pg));
  return {
    transport: "pglite",
    pg,
    rpc,
    close: () => pg.close(),
  };
}

/** Embedded database persisted under `dir` (development) or in memory (dir = null), migrated. */
export async function openPglite(dir: string | null): Promise<PGliteDb> {
  if (dir) mkdirSync(dir, { recursive: true });
  const pg = dir ? new PGlite(dir) : new PGlite();
  await pg.waitReady;
  await migratePglite(pg);
  return pgliteDb(pg);
}
