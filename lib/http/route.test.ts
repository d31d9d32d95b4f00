import { describe, expect, it } from "vitest";
import { z } from "zod";
import { env } from "@/lib/env";
import { AppError, badRequest, conflict, forbidden, notFound, unauthorized } from "@/lib/errors/app-error";
import { errorResponse, json, withCron, withRoute, withWebhook } from "@/lib/http/route";
import { logger } from "@/lib/log";

const ctx = { params: Promise.resolve({}) };
const req = (headers: Record<string, string> = {}) => new Request("http://localhost/api/x", { headers });

describe("errorResponse", () => {
  const log = logger();

  it.each([
    [badRequest("Missing field."), 400, "bad_request"],
    [unauthorized(), 401, "unauthorized"],
    [forbidden(), 403, "forbidden"],
    [notFound(), 404, "not_found"],
    [conflict("Already connected."), 409, "conflict"],
    [new AppError("whatsapp_failed", "WhatsApp did not accept the code: try again."), 502, "whatsapp_failed"],
  ])("maps %s to its status with code and message", async (error, status, code) => {
    const res = errorResponse(error, log);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error: code, message: error.message });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("answers 400 naming the field for invalid input", async () => {
    const parsed = z.object({ phone: z.string() }).safeParse({ phone: 3 });
    const res = errorResponse(parsed.error, log);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error).toBe("bad_request");
    expect(body.message).toMatch(/^Invalid phone: /);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const error = await new Request("http://x", { method: "POST", body: "{oops" }).json().catch((e) => e);
    const res = errorResponse(error, log);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toBe("bad_request");
  });

  it("answers 500 without leaking what went wrong", async () => {
    const res = errorResponse(new Error("connection to db.internal:5432 refused, token=abc"), log);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("db.internal");
    expect(text).not.toContain("token");
    expect(JSON.parse(text).error).toBe("internal");
  });
});

describe("route wrappers", () => {
  it("withRoute and withWebhook pass the request through and map thrown errors", async () => {
    const ok = withRoute("t", async () => json({ fine: true }));
    expect(await (await ok(req(), ctx)).json()).toEqual({ fine: true });
    const failing = withWebhook("t", async () => {
      throw unauthorized("Bad signature.");
    });
    const res = await failing(req(), ctx);
    expect(res.status).toBe(401);
    expect((await res.json()).message).toBe("Bad signature.");
  });

  it("hands the handler a logger and the route params", async () => {
    const handler = withRoute("t", async (_req, c) => {
      expect(typeof c.log.info).toBe("function");
      return json(await c.params);
    });
    const res = await handler(req(), { params: Promise.resolve({ id: "42" }) });
    expect(await res.json()).toEqual({ id: "42" });
  });

  describe("withCron", () => {
    let ran = 0;
    const handler = withCron("t", async () => {
      ran++;
      return json({ ok: true });
    });

    it.each([
      ["no authorization header", {}],
      ["an empty bearer", { authorization: "Bearer " }],
      ["the secret without the Bearer scheme", { authorization: env.CRON_SECRET }],
      [
        "a wrong secret of the same length",
        { authorization: `Bearer ${"x".repeat(env.CRON_SECRET.length)}` },
      ],
      ["a longer secret that starts with the right one", { authorization: `Bearer ${env.CRON_SECRET}x` }],
      ["a prefix of the right secret", { authorization: `Bearer ${env.CRON_SECRET.slice(0, -1)}` }],
      ["another scheme", { authorization: `Basic ${env.CRON_SECRET}` }],
    ])("answers 401 and runs nothing for %s", async (_name, headers) => {
      const before = ran;
      const res = await handler(req(headers), ctx);
      expect(res.status).toBe(401);
      expect((await res.json()).error).toBe("unauthorized");
      expect(ran).toBe(before);
    });

    it("runs the handler for the right bearer", async () => {
      const before = ran;
      const res = await handler(req({ authorization: `Bearer ${env.CRON_SECRET}` }), ctx);
      expect(res.status).toBe(200);
      expect(ran).toBe(before + 1);
    });
  });
});
