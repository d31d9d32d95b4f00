import { env } from "@/lib/env";
import { parseDsn, sendToSentry } from "@/lib/observability/sentry";
import pkg from "@/package.json";

const sentry = env.SENTRY_DSN ? parseDsn(env.SENTRY_DSN) : null;

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured JSON logs. Fields that could carry email content or secrets are dropped whatever the
 * caller passes: logs name ids, kinds, counts and error codes, never bodies, subjects or tokens.
 */
const FORBIDDEN =
  /^(body|text|html|content|subject|snippet|summary|token|tokens|access_?token|refresh_?token|id_?token|authorization|password|secret|code|raw|email|address|phone|from|to)$/i;

function clean(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (FORBIDDEN.test(k)) continue;
    out[k] = v instanceof Error ? { name: v.name, message: v.message.slice(0, 300) } : v;
  }
  return out;
}

function report(event: string, fields: Record<string, unknown>) {
  if (!sentry) return;
  const err = Object.values(fields).find((v) => v instanceof Error) as Error | undefined;
  const tags: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") tags[k] = v;
  }
  void sendToSentry(sentry, {
    event,
    error: err ? { name: err.name, message: err.message } : null,
    tags,
    release: pkg.version,
    environment: env.NODE_ENV,
  });
}

function emit(level: Level, event: string, fields: Record<string, unknown>) {
  if (ORDER[level] < ORDER[env.LOG_LEVEL] || env.NODE_ENV === "test") return;
  const cleaned = clean(fields);
  if (level === "error") report(event, { ...cleaned, ...pickErrors(fields) });
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...cleaned });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
}

function pickErrors(fields: Record<string, unknown>): Record<string, Error> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v instanceof Error)) as Record<
    string,
    Error
  >;
}

export type Logger = {
  debug(event: string, fields?: Record<string, unknown>): void;
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
};

export function logger(base: Record<string, unknown> = {}): Logger {
  return {
    debug: (e, f = {}) => emit("debug", e, { ...base, ...f }),
    info: (e, f = {}) => emit("info", e, { ...base, ...f }),
    warn: (e, f = {}) => emit("warn", e, { ...base, ...f }),
    error: (e, f = {}) => emit("error", e, { ...base, ...f }),
    child: (f) => logger({ ...base, ...f }),
  };
}

export const log = logger();
