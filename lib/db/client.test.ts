import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The process's database is chosen from its environment once, at start, so each case runs in a
 * fresh Node process with only the given variables, as a deployment would.
 */
function transportWith(vars: { NODE_ENV: "test" | "production" } & Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "fluxasync-client-"));
  const script = `
    const { db } = await import("./lib/db/client.ts");
    const d = await db();
    console.info(JSON.stringify({ transport: d.transport, same: d === (await db()) }));
    await d.close();`;
  const result = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, ...vars },
    encoding: "utf8",
    timeout: 80_000,
  });
  rmSync(dataDir, { recursive: true, force: true });
  return result;
}

describe("db() picks the transport from the environment", () => {
  it("uses the supabase transport when SUPABASE_URL and a secret key are set, even on Node.js 20", () => {
    const result = transportWith({
      NODE_ENV: "test",
      SUPABASE_URL: "https://abcdefgh.supabase.co",
      SUPABASE_SECRET_KEY: "sb_secret_placeholder",
      DATABASE_URL: "postgres://u:p@127.0.0.1:1/x",
    });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ transport: "supabase", same: true });
  }, 90_000);

  it("uses the sql transport with DATABASE_URL", () => {
    const result = transportWith({ NODE_ENV: "test", DATABASE_URL: "postgres://u:p@127.0.0.1:1/x" });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ transport: "sql", same: true });
  }, 90_000);

  it("falls back to embedded PGlite only outside production", () => {
    const result = transportWith({ NODE_ENV: "test" });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ transport: "pglite", same: true });
  }, 90_000);

  it("refuses to start in production without a configured database", () => {
    const result = transportWith({ NODE_ENV: "production" });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("- DATABASE_URL:");
    expect(result.stdout).not.toContain("pglite");
  }, 90_000);
});
