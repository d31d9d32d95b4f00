// npm run db:migrate — applies supabase/migrations to DATABASE_URL, each file once, in one
// transaction. For Supabase use the session pooler (port 5432) or the direct connection URL.
import { readMigrations } from "@/lib/db/migrate";
import { connectPostgres, migratePostgres } from "@/lib/db/postgres";
import { env } from "@/lib/env";

async function main(): Promise<number> {
  if (!env.DATABASE_URL) {
    console.error(
      "db:migrate needs DATABASE_URL, the Postgres URL to migrate (Supabase: Project Settings → Database → " +
        "Connection string, session pooler). Example:\n" +
        "  DATABASE_URL='postgres://postgres.<ref>:<password>@aws-0-<region>.pooler.supabase.com:5432/postgres' npm run db:migrate",
    );
    return 1;
  }
  const target = new URL(env.DATABASE_URL);
  // Never print the password: host and database are enough to know where this ran.
  console.info(`Migrating ${target.hostname}:${target.port || 5432}${target.pathname} …`);
  const sql = connectPostgres(env.DATABASE_URL, { max: 1 });
  try {
    const migrations = await readMigrations();
    const applied = await migratePostgres(sql, migrations);
    for (const name of applied) console.info(`  applied ${name}`);
    console.info(
      applied.length === 0
        ? `Nothing to apply: all ${migrations.length} migrations were already applied.`
        : `Applied ${applied.length} of ${migrations.length} migrations.`,
    );
    return 0;
  } catch (error) {
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

process.exitCode = await main();
