import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PGliteDb } from "@/lib/db/pglite";
import { testDb } from "@/lib/testing/db";

let db: PGliteDb;
beforeAll(async () => {
  db = await testDb();
});
afterAll(() => db.close());

describe("security-definer functions", () => {
  it("pin their search_path with pg_temp last, so no temporary object can shadow what they call", async () => {
    const { rows } = await db.pg.query<{ name: string; config: string[] | null }>(
      `select p.proname as name, p.proconfig as config from pg_proc p
        where p.pronamespace = 'public'::regnamespace and p.prosecdef order by 1`,
    );
    // The schema has some (organization_delete at least): an empty list would test nothing.
    expect(rows.map((r) => r.name)).toContain("organization_delete");
    const unpinned = rows
      .filter((r) => {
        const path = r.config?.find((c) => c.startsWith("search_path="));
        return !path || !/(^|,\s*)pg_temp$/.test(path.slice("search_path=".length));
      })
      .map((r) => `${r.name}: ${r.config?.join(" ") ?? "no search_path"}`);
    expect(unpinned).toEqual([]);
  });
});
