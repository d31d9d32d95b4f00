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
 * What to say when the database records migrations this checkout does not have: it was migrated
 * by another history — before the migrations were squashed into per-domain files (a local-mode
 * data folder or a test database from before 2026-12-04), or by a newer checkout. Applying the
 * files on top would half-apply a second copy of the schema, so nothing is applied.
 */
function unknownHistoryMessage(unknown: string[]): string {
  const shown =
    unknown.slice(0, 3).join(", ") + (unknown.length > 3 ? ` and ${unknown.length - 3} more` : "");
  return (
    `This database was migrated by another migration history: it records ${shown}, which supabase/migrations ` +
    "does not have (the migrations were squashed into per-domain files; nothing is deployed, so there is no " +
    "upgrade path). Nothing was applied. Local mode: delete the embedded database, the pglite folder of DATA_DIR " +
    "(rm -rf .data/pglite by default), and start again. A development or test database: drop it, create it " +
    "again, then run npm run db:migrate."
  );
}

/**
 * Applies the migrations not yet recorded, all in one transaction under an advisory lock, so two
 * processes starting together cannot apply the same file twice and a failure leaves nothing half done.
 * A recorded migration whose file changed is an error: migrations are append-only. So is a recorded
 * migration with no file at all (unknownHistoryMessage).
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
    const known = new Set(migrations.map((m) => m.name));
    const unknown = [...applied.keys()].filter((name) => !known.has(name)).sort();
    if (unknown.length > 0) throw new Error(unknownHistoryMessage(unknown));
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
