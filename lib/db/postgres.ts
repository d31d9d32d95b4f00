import postgres from "postgres";
import { type Migration, migrate, readMigrations } from "@/lib/db/migrate";
import type { Db } from "@/lib/db/port";
import { type Row, type SqlExecutor, sqlRpc } from "@/lib/db/sql-rpc";

type Sql = postgres.Sql | postgres.TransactionSql;

function executor(sql: Sql): SqlExecutor {
  return {
    async query(text, params = []) {
      return (await sql.unsafe(text, params as postgres.ParameterOrJSON<never>[])) as unknown as Row[];
    },
    async exec(text) {
      await sql.unsafe(text);
    },
  };
}

/**
 * postgres.js with prepared statements off: Supabase's Supavisor in transaction mode (port 6543)
 * hands each transaction a different server connection, where a named statement would not exist.
 * Serverless functions keep a small pool and let idle connections go quickly.
 */
export function connectPostgres(url: string, opts: { max?: number } = {}) {
  return postgres(url, {
    prepare: false,
    max: opts.max ?? 5,
    idle_timeout: 20,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: "fluxasync-mail" },
  });
}

export function postgresDb(sql: postgres.Sql): Db {
  return {
    transport: "sql",
    rpc: sqlRpc(executor(sql)),
    close: () => sql.end({ timeout: 5 }),
  };
}

export async function migratePostgres(sql: postgres.Sql, migrations?: Migration[]): Promise<string[]> {
  return migrate(
    (fn) => sql.begin((tx) => fn(executor(tx))) as Promise<never>,
    migrations ?? (await readMigrations()),
  );
}
