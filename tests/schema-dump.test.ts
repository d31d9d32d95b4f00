import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import { dumpSchema, SCHEMA_FILE } from "@/lib/db/schema-dump";
import { realPostgresAvailable, realPostgresDb, testDb } from "@/lib/testing/db";

/*
 * supabase/schema.sql is the current picture of the schema: what the migrations make, written by
 * `npm run db:dump`. Here the run's migrated database (every migration applied, the snapshot each
 * test file starts from) is dumped again and compared with the committed file.
 */

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(async () => {
  await db.close();
});

const OUT_OF_DATE =
  "supabase/schema.sql does not match supabase/migrations: run `npm run db:dump` and commit the file";

describe("supabase/schema.sql", () => {
  it("is what the migrations make", async () => {
    const committed = readFileSync(SCHEMA_FILE, "utf8");
    const current = await dumpSchema(async (sql) => (await db.pg.query<Record<string, unknown>>(sql)).rows);
    expect(current === committed, OUT_OF_DATE).toBe(true);
  });

  it("names every function it grants on by its whole signature", () => {
    // A grant's object name once came out of a `name` column (63 characters): `p_limit inte`.
    const grants = readFileSync(SCHEMA_FILE, "utf8")
      .split("\n")
      .filter((line) => line.startsWith("grant execute on function "));
    expect(grants.length).toBeGreaterThan(20);
    for (const line of grants) expect(line).toMatch(/^grant execute on function \w+\([^()]*\) to \w+;$/);
  });

  it("changes when the schema does (the comparison can fail)", async () => {
    const before = await dumpSchema(async (sql) => (await db.pg.query<Record<string, unknown>>(sql)).rows);
    await db.pg.exec(`
      alter table jobs add column test_note text;
      create or replace function job_counts() returns jsonb language sql stable as $$ select '{}'::jsonb $$;
      grant select on messages to anon;`);
    const after = await dumpSchema(async (sql) => (await db.pg.query<Record<string, unknown>>(sql)).rows);
    expect(after).not.toBe(before);
    expect(after).toContain("  test_note text");
    expect(after).toContain("grant select on table messages to anon;");
    expect(after).toMatch(/FUNCTION job_counts\(\)[\s\S]*select '\{\}'::jsonb/);
  });
});

describe.runIf(realPostgresAvailable())("supabase/schema.sql on PostgreSQL", () => {
  it("is also what the migrations make on a real server", async () => {
    const pg = await realPostgresDb();
    try {
      const { connectPostgres } = await import("@/lib/db/postgres");
      const sql = connectPostgres(pg.url, { max: 1 });
      try {
        const current = await dumpSchema(
          async (q) => (await sql.unsafe(q)) as unknown as Record<string, unknown>[],
        );
        expect(current === readFileSync(SCHEMA_FILE, "utf8"), OUT_OF_DATE).toBe(true);
      } finally {
        await sql.end();
      }
    } finally {
      await pg.drop();
    }
  });
});
