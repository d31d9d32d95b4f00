import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { SqlExecutor } from "@/lib/db/sql-rpc";

export const MIGRATIONS_DIR = path.join(process.cwd(), "supabase", "migrations");

export type Migration = { name: string; sql: string; checksum: string };

// The folder is a parameter, which the bundler cannot trace: without the ignore comments it would ship
// the whole project with every route. next.config.ts includes supabase/migrations explicitly.
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(/* turbopackIgnore: true */ dir))
    .filter((f) => /^\d{14}_[a-z0-9_]+\.sql$/.test(f))
    .sort();
  return Promise.all(
    files.map(async (name) => {
      const sql = await readFile(
        /* turbopackIgnore: true */ path.join(/* turbopackIgnore: true */ dir, name),
        "utf8",
      );
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/**
 * Applies the migrations not yet recorded, all in one transaction under an advisory lock, so two
 * processes starting together cannot apply the same file twice and a failure leaves nothing half done.
 * A recorded migration whose file changed is an error: migrations are append-only.
 */
export async function migrate(
  transaction: <T>(fn: (tx: SqlExecutor) => Promise<T>) => Promise<T>,
  migrations: Migration[],
): Promise<string[]> {
  return transaction(async (tx) => {
    await tx.query("select pg_advisory_xact_lock(727274001)");
    await tx.exec(`
      create table if not exists app_migrations (
        name text primary key,
        checksum text not null,
        applied_at timestamptz not null default now()
      );
      alter table app_migrations enable row level security;
      revoke all on app_migrations from public;`);
    const rows = await tx.query("select name, checksum from app_migrations");
    const applied = new Map(rows.map((r) => [r.name as string, r.checksum as string]));
    const done: string[] = [];
    for (const m of migrations) {
      const checksum = applied.get(m.name);
      if (checksum !== undefined) {
        if (checksum !== m.checksum) {
          throw new Error(`Migration ${m.name} changed after it was applied: add a new migration instead.`);
        }
        continue;
      }
      await tx.exec(m.sql);
      await tx.query("insert into app_migrations (name, checksum) values ($1, $2)", [m.name, m.checksum]);
      done.push(m.name);
    }
    return done;
  });
}
