import { afterEach, describe, expect, it } from "vitest";
import { GET } from "@/app/api/health/route";
import { setDbForTests } from "@/lib/db/client";
import type { Db } from "@/lib/db/port";
import { testDb } from "@/lib/testing/db";
import pkg from "@/package.json";

const ctx = { params: Promise.resolve({}) };
const request = () => new Request("http://localhost/api/health");

afterEach(() => setDbForTests(undefined));

describe("GET /api/health", () => {
  it("reports the database reachable over the embedded transport", async () => {
    const db = await testDb();
    setDbForTests(db);
    try {
      const res = await GET(request(), ctx);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body).toEqual({
        status: "ok",
        database: "ok",
        transport: "pglite",
        version: pkg.version,
        webhooks: { unreadableLastDay: { gmail: 0, outlook: 0, whatsapp: 0 } },
        messages: { failedLastDay: 0 },
      });
      expect(res.headers.get("cache-control")).toBe("no-store");
    } finally {
      await db.close();
    }
  });

  it("answers 503 with database unreachable when the database call fails", async () => {
    const broken: Db = {
      transport: "sql",
      rpc: async () => {
        throw new Error("connect ECONNREFUSED 10.0.0.5:6543");
      },
      close: async () => {},
    };
    setDbForTests(broken);
    const res = await GET(request(), ctx);
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toEqual({
      status: "degraded",
      database: "unreachable",
      transport: "sql",
      version: pkg.version,
    });
    expect(JSON.stringify(body)).not.toContain("ECONNREFUSED");
  });

  it("answers 503 when a closed database is handed in", async () => {
    const db = await testDb();
    await db.close();
    setDbForTests(db);
    const res = await GET(request(), ctx);
    expect(res.status).toBe(503);
    expect((await res.json()).database).toBe("unreachable");
  });
});
