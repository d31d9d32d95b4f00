import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { env } from "@/lib/env";
import { signWebhookBody, statusWebhook } from "@/lib/testing/meta-fake";
import { inheritedEnv } from "../child-env";
import { processTreeCpuSeconds, scratchDb } from "./scratch-db";

const APP_SECRET = "bench-http-app-secret-0123456789";
const key = (encoding: "base64" | "base64url") => randomBytes(32).toString(encoding);

/** A complete production environment of placeholders (as .ci/run builds with), on `databaseUrl`. */
function productionEnv(databaseUrl: string, port: number): NodeJS.ProcessEnv {
  return {
    // The shell's PATH and HOME; the drain's tuning when the bench run sets it.
    ...inheritedEnv(["PATH", "HOME", "DRAIN_CONCURRENCY", "DATABASE_POOL_MAX"]),
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "error",
    APP_URL: `http://127.0.0.1:${port}`,
    SESSION_SECRET: key("base64url"),
    TOKEN_ENCRYPTION_KEYS: `bench1:${key("base64")}`,
    CRON_SECRET: key("base64url"),
    DATABASE_URL: databaseUrl,
    GOOGLE_CLIENT_ID: "000000000000-bench.apps.googleusercontent.com",
    GOOGLE_CLIENT_SECRET: "GOCSPX-bench",
    GMAIL_PUBSUB_TOPIC: "projects/fluxasync-bench/topics/gmail-push",
    GMAIL_PUSH_AUDIENCE: `http://127.0.0.1:${port}/api/webhooks/gmail`,
    GMAIL_PUSH_SERVICE_ACCOUNT: "gmail-push@fluxasync-bench.iam.gserviceaccount.com",
    MICROSOFT_CLIENT_ID: "00000000-0000-0000-0000-000000000000",
    MICROSOFT_CLIENT_SECRET: "bench",
    WHATSAPP_ACCESS_TOKEN: "bench",
    WHATSAPP_PHONE_NUMBER_ID: "100000000000000",
    WHATSAPP_DISPLAY_NUMBER: "+2250102030405",
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: key("base64url"),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function waitUp(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`next start did not answer ${url} within ${timeoutMs} ms`);
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};

let seq = 0;
/** One signed status webhook of a message we never sent (a status Meta delivers late). */
function statusRequest(url: string): () => Promise<number> {
  const raw = JSON.stringify(
    statusWebhook({
      wamid: `wamid.${Buffer.from(`HBgMBENCH${++seq}`).toString("base64")}`,
      status: (["sent", "delivered", "read"] as const)[seq % 3]!,
      recipient: "+2250707000001",
    }),
  );
  const signature = signWebhookBody(raw, APP_SECRET);
  return async () => {
    const t0 = performance.now();
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signature },
      body: raw,
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`WhatsApp webhook answered ${res.status}`);
    return performance.now() - t0;
  };
}

/** `total` requests, `concurrency` at a time (each worker sends its next one when the last answered). */
async function load(url: string, concurrency: number, total: number) {
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next++;
        times.push(await statusRequest(url)());
      }
    }),
  );
  return { times, perSecond: total / ((performance.now() - t0) / 1000) };
}

/**
 * Webhook acknowledgement over real HTTP: `next start` of the production build (built first when
 * `.next/BUILD_ID` is missing, with the placeholder production environment), on a scratch database
 * of `DATABASE_URL` (required: production never runs on PGlite), answering validly signed WhatsApp
 * status webhooks on loopback at concurrency 1, 10 and 50 — with its background drain processing
 * what each request stored, as in production.
 */
export async function measureHttpAck(): Promise<Record<string, number | string>> {
  if (!env.DATABASE_URL) throw new Error("--http needs DATABASE_URL (a PostgreSQL server)");
  const root = process.cwd();
  const scratch = await scratchDb("http");
  const port = await freePort();
  const childEnv = productionEnv(scratch.url ?? "", port);
  const next = path.join(root, "node_modules", ".bin", "next");
  const out: Record<string, number | string> = {};
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) {
    const t0 = performance.now();
    const build = spawnSync(next, ["build"], { cwd: root, env: childEnv, stdio: "inherit" });
    if (build.status !== 0) throw new Error(`next build failed (${build.status})`);
    out.http_build_seconds = Number(((performance.now() - t0) / 1000).toFixed(0));
  }
  const started = performance.now();
  const server = spawn(next, ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: root,
    env: childEnv,
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitUp(`http://127.0.0.1:${port}/api/health`, server, 60_000);
    out.http_cold_start_ms = Math.round(performance.now() - started);
    const url = `http://127.0.0.1:${port}/api/webhooks/whatsapp`;
    await load(url, 10, 200);
    for (const [c, total] of [
      [1, 500],
      [10, 2000],
      [50, 3000],
    ] as const) {
      // Where each request's CPU goes on this machine: the server (next start and its drain), the
      // database server, and this load generator, which shares the same cores.
      const serverBefore = server.pid === undefined ? null : processTreeCpuSeconds(server.pid);
      const dbBefore = await scratch.serverCpuSeconds();
      const clientBefore = process.cpuUsage();
      const { times, perSecond } = await load(url, c, total);
      const client = process.cpuUsage(clientBefore);
      const serverAfter = server.pid === undefined ? null : processTreeCpuSeconds(server.pid);
      const dbAfter = await scratch.serverCpuSeconds();
      const perRequest = (before: number | null, after: number | null) =>
        before === null || after === null
          ? "not_measured"
          : Number((((after - before) * 1000) / total).toFixed(2));
      out[`webhook_ack_http_p50_ms_c${c}`] = Number(percentile(times, 50).toFixed(1));
      out[`webhook_ack_http_p99_ms_c${c}`] = Number(percentile(times, 99).toFixed(1));
      out[`webhook_ack_http_per_second_c${c}`] = Math.round(perSecond);
      out[`webhook_ack_http_server_cpu_ms_per_request_c${c}`] = perRequest(serverBefore, serverAfter);
      out[`webhook_ack_http_db_cpu_ms_per_request_c${c}`] = perRequest(dbBefore, dbAfter);
      out[`webhook_ack_http_client_cpu_ms_per_request_c${c}`] = Number(
        ((client.user + client.system) / 1000 / total).toFixed(2),
      );
    }
    const rss = spawnSync("ps", ["-o", "rss=", "-p", String(server.pid)], { encoding: "utf8" });
    out.http_server_rss_mb = Math.round(Number(rss.stdout.trim()) / 1024);
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    await scratch.drop();
  }
  return out;
}
