import { env } from "@/lib/env";

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

function emit(level: Level, event: string, fields: Record<string, unknown>) {
  if (ORDER[level] < ORDER[env.LOG_LEVEL] || env.NODE_ENV === "test") return;
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...clean(fields) });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.info(line);
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
