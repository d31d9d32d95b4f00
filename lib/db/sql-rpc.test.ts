import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "@/lib/db/port";
import { call, mapDbError } from "@/lib/db/port";
import { connectPostgres } from "@/lib/db/postgres";
import { AppError } from "@/lib/errors/app-error";
import { realPostgresAvailable, realPostgresDb, testDb } from "@/lib/testing/db";

// A function that hands its arguments back, to see exactly what the database received.
const ECHO = `
  create function test_echo(
    p_text text default null, p_texts text[] default null, p_json jsonb default null,
    p_at timestamptz default null, p_flag boolean default null, p_int integer default null,
    p_big bigint default null, p_real double precision default null, p_id uuid default null,
    p_default text default 'the default'
  ) returns jsonb language sql as $$
    select jsonb_build_object('text', p_text, 'texts', to_jsonb(p_texts), 'json', p_json,
      'jsonType', jsonb_typeof(p_json), 'at', p_at, 'flag', p_flag, 'int', p_int, 'big', p_big,
      'real', p_real, 'id', p_id, 'default', p_default)
  $$`;

/** Arguments go in as plain JS values by name and come back unchanged, on every SQL driver. */
function rpcContract(
  open: () => Promise<{ db: Db; exec(sql: string): Promise<void>; close(): Promise<void> }>,
) {
  let h: Awaited<ReturnType<typeof open>>;
  beforeAll(async () => {
    h = await open();
    await h.exec(ECHO);
  });
  afterAll(() => h?.close());

  it("passes strings, arrays and JSON through unchanged, however awkward", async () => {
    const awkward = `quote " backslash \\ comma , brace { } apostrophe ' NULL`;
    const result = await h.db.rpc("test_echo", {
      p_text: awkward,
      p_texts: [awkward, "", "NULL", null, "é ✓ 🔴"],
      p_json: { nested: { list: [1, "two", null], text: awkward } },
    });
    expect(result).toMatchObject({
      text: awkward,
      texts: [awkward, "", "NULL", null, "é ✓ 🔴"],
      json: { nested: { list: [1, "two", null], text: awkward } },
      jsonType: "object",
    });
  });

  it("stores a JSON string, array or number as that JSON value, not as text", async () => {
    expect(await h.db.rpc("test_echo", { p_json: "just text" })).toMatchObject({
      json: "just text",
      jsonType: "string",
    });
    expect(await h.db.rpc("test_echo", { p_json: [1, 2] })).toMatchObject({
      json: [1, 2],
      jsonType: "array",
    });
    expect(await h.db.rpc("test_echo", { p_json: 42 })).toMatchObject({ json: 42, jsonType: "number" });
  });

  it("passes dates, booleans, numbers and uuids", async () => {
    const at = new Date("2026-03-01T17:00:00.123Z");
    const result = (await h.db.rpc("test_echo", {
      p_at: at,
      p_flag: false,
      p_int: -7,
      p_big: 9_007_199_254_740_991,
      p_real: 0.25,
      p_id: "0b5d1a8e-7a0c-4c4e-9d1f-3f1c2b3a4d5e",
    })) as Record<string, unknown>;
    expect(new Date(result.at as string).getTime()).toBe(at.getTime());
    expect(result).toMatchObject({
      flag: false,
      int: -7,
      big: 9_007_199_254_740_991,
      real: 0.25,
      id: "0b5d1a8e-7a0c-4c4e-9d1f-3f1c2b3a4d5e",
    });
  });

  it("leaves out undefined arguments so defaults apply, and passes null as null", async () => {
    expect(await h.db.rpc("test_echo", { p_default: undefined, p_text: null })).toMatchObject({
      default: "the default",
      text: null,
    });
  });

  it("rejects a function name that is not an identifier before reaching the database", async () => {
    const error = await h.db.rpc("health_check(); drop table jobs; --", {}).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "invalid_rpc" });
    expect(await h.db.rpc("health_check")).toMatchObject({ database: "ok" });
  });

  it("parses results with zod, failing loudly on a result of the wrong shape", async () => {
    const ok = await call(h.db, "test_echo", { p_int: 3 }, z.object({ int: z.number() }));
    expect(ok.int).toBe(3);
    const error = await call(h.db, "test_echo", { p_int: 3 }, z.object({ int: z.string() })).catch((e) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "db_contract", status: 500 });
    expect(error.message).toContain("test_echo");
  });
}

describe("sql rpc on PGlite", () => {
  rpcContract(async () => {
    const db = await testDb();
    return { db, exec: async (q) => void (await db.pg.exec(q)), close: () => db.close() };
  });
});

describe.runIf(realPostgresAvailable())("sql rpc on a real PostgreSQL server (postgres.js)", () => {
  rpcContract(async () => {
    const db = await realPostgresDb();
    const side = connectPostgres(db.url, { max: 1 });
    return {
      db,
      exec: async (q) => void (await side.unsafe(q)),
      close: async () => {
        await side.end();
        await db.drop();
      },
    };
  });
});

describe("mapDbError", () => {
  it.each([
    ["PT404", 404, "db_404"],
    ["PT409", 409, "db_409"],
    ["PT422", 422, "db_422"],
    ["23505", 409, "conflict"],
    ["23503", 404, "not_found"],
    ["23514", 422, "invalid"],
    ["22P02", 422, "invalid"],
    ["PGRST202", 404, "unknown_rpc"],
    ["42883", 404, "unknown_rpc"],
    ["57P01", 503, "db_error"],
    [undefined, 503, "db_error"],
  ])("maps SQLSTATE %s to %i %s", (code, status, appCode) => {
    const error = mapDbError({ code, message: "boom" }, "job_enqueue");
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status, code: appCode });
  });

  it("does not treat PT codes outside 1xx–5xx as HTTP statuses", () => {
    expect(mapDbError({ code: "PT999", message: "x" }, "f")).toMatchObject({ status: 503 });
  });
});
