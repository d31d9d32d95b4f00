import { randomUUID } from "node:crypto";

/**
 * Error reporting to Sentry through its envelope endpoint, with `fetch` only (no SDK: a few lines
 * instead of a large dependency in every serverless bundle). Only what log lines already carry is
 * sent — an event name, error type and message, ids — never bodies, subjects, tokens or addresses.
 */
export type SentryTarget = { endpoint: string; publicKey: string; dsn: string };

export function parseDsn(dsn: string): SentryTarget | null {
  try {
    const url = new URL(dsn);
    const project = url.pathname.replace(/^\/+|\/+$/g, "");
    if (!url.username || !project || !/^\d+$/.test(project.split("/").at(-1) ?? "")) return null;
    const prefix = project.split("/").slice(0, -1).join("/");
    const id = project.split("/").at(-1);
    const endpoint = `${url.protocol}//${url.host}/${prefix ? `${prefix}/` : ""}api/${id}/envelope/`;
    return { endpoint, publicKey: url.username, dsn };
  } catch {
    return null;
  }
}

export type ReportedEvent = {
  event: string;
  error?: { name: string; message: string } | null;
  tags?: Record<string, string | number | boolean>;
  release: string;
  environment: string;
};

export async function sendToSentry(target: SentryTarget, e: ReportedEvent): Promise<boolean> {
  const eventId = randomUUID().replaceAll("-", "");
  const now = new Date().toISOString();
  const event = {
    event_id: eventId,
    timestamp: now,
    platform: "node",
    level: "error",
    logger: "fluxasync",
    message: { formatted: e.event },
    exception: e.error
      ? { values: [{ type: e.error.name, value: e.error.message.slice(0, 500) }] }
      : undefined,
    tags: Object.fromEntries(Object.entries(e.tags ?? {}).map(([k, v]) => [k, String(v).slice(0, 200)])),
    release: e.release,
    environment: e.environment,
  };
  const body = [
    JSON.stringify({ event_id: eventId, dsn: target.dsn, sent_at: now }),
    JSON.stringify({ type: "event" }),
    JSON.stringify(event),
  ].join("\n");
  try {
    const res = await fetch(target.endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-sentry-envelope",
        "x-sentry-auth": `Sentry sentry_version=7, sentry_key=${target.publicKey}, sentry_client=fluxasync-mail/1`,
      },
      body,
      signal: AbortSignal.timeout(3000),
    });
    return res.ok;
  } catch {
    // Reporting must never take the app down with it.
    return false;
  }
}
