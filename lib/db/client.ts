import path from "node:path";
import { drainSettings } from "@/lib/config/drain";
import type { Db } from "@/lib/db/port";
import { env } from "@/lib/env";

/**
 * The process's database, chosen from the environment: supabase (SUPABASE_URL + secret key), sql
 * (DATABASE_URL), or — in development only — embedded PGlite under DATA_DIR. Production never falls
 * back to PGlite: lib/env.ts refuses to start without a configured database.
 */
type Holder = { db?: Promise<Db>; override?: Db };
// On globalThis so Next's dev reloads reuse one embedded database instead of opening it twice.
const g = globalThis as { __fluxasyncDb?: Holder };
g.__fluxasyncDb ??= {};
const holder: Holder = g.__fluxasyncDb;

async function open(): Promise<Db> {
  const supabaseKey = env.SUPABASE_SECRET_KEY ?? env.SUPABASE_SERVICE_ROLE_KEY;
  if (env.SUPABASE_URL && supabaseKey) {
    const { supabaseDb } = await import("@/lib/db/supabase");
    return supabaseDb(env.SUPABASE_URL, supabaseKey);
  }
  if (env.DATABASE_URL) {
    const { connectPostgres, postgresDb } = await import("@/lib/db/postgres");
    // Sized with the drain (DATABASE_POOL_MAX, default DRAIN_CONCURRENCY + 4).
    return postgresDb(connectPostgres(env.DATABASE_URL, { max: drainSettings().poolMax }));
  }
  if (env.NODE_ENV === "production") {
    throw new Error("No database configured: set DATABASE_URL or SUPABASE_URL + SUPABASE_SECRET_KEY.");
  }
  const { openPglite } = await import("@/lib/db/pglite");
  return openPglite(env.NODE_ENV === "test" ? null : path.join(env.DATA_DIR, "pglite"));
}

export function db(): Promise<Db> {
  if (holder.override) return Promise.resolve(holder.override);
  holder.db ??= open().catch((error: unknown) => {
    holder.db = undefined;
    throw error;
  });
  return holder.db;
}

/** Tests hand route handlers their own database. */
export function setDbForTests(instance: Db | undefined): void {
  holder.override = instance;
}
