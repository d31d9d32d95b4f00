import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_DRAIN_CONCURRENCY } from "./config/drain-sizing";
// Relative, not "@/": next.config.ts loads this file before the path alias exists.
import { normalizePhone } from "./domain/phone";
import { gmailQuota } from "./mail/gmail/quota";

/**
 * The only reader of process.env. One schema for every variable; in development the secrets that
 * are not set are generated once and kept in `.data/secrets.json` so restarts keep sessions and
 * encrypted tokens readable; in production a missing required variable stops the start (and the
 * build, since next.config.ts imports this file) with a message naming each one and its purpose.
 */

const optional = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

/** What each variable is for: shown when one is missing, and mirrored in .env.example. */
export const ENV_DOCS = {
  APP_URL: "public base URL (OAuth redirects, webhook URLs shown in set-up)",
  SESSION_SECRET: "signs session cookies (32+ random characters)",
  TOKEN_ENCRYPTION_KEYS: "key ring for OAuth tokens: kid:base64(32 bytes), comma-separated, first encrypts",
  CRON_SECRET: "bearer token of the /api/cron/* routes (16+ characters; Vercel sends it)",
  DATABASE_URL: "Postgres URL for the sql transport (Supavisor transaction mode port 6543 is fine)",
  DRAIN_CONCURRENCY:
    "jobs one instance runs at once in its background drain (default 16; see lib/config/drain.ts)",
  DATABASE_POOL_MAX:
    "connections of the sql transport's pool (default DRAIN_CONCURRENCY + 4; at least DRAIN_CONCURRENCY + 1)",
  SUPABASE_URL: "Supabase project URL for the supabase transport",
  SUPABASE_SECRET_KEY: "Supabase secret key (sb_secret_…) for the supabase transport",
  SUPABASE_SERVICE_ROLE_KEY: "legacy Supabase service_role key (instead of SUPABASE_SECRET_KEY)",
  GOOGLE_CLIENT_ID: "Google OAuth client id (sign-in and Gmail)",
  GOOGLE_CLIENT_SECRET: "Google OAuth client secret",
  GMAIL_PUBSUB_TOPIC: "projects/<id>/topics/<name> that users.watch publishes to",
  GMAIL_PUSH_AUDIENCE: "expected `aud` of the Pub/Sub push OIDC token",
  GMAIL_PUSH_SERVICE_ACCOUNT: "expected `email` of the Pub/Sub push OIDC token (the push service account)",
  GMAIL_QUOTA_PROFILE:
    "Gmail quota policy of the Cloud project: 2026-05 (projects created from May 2026, default) or legacy",
  GMAIL_QUOTA_USER_PER_MINUTE: "Gmail quota units one mailbox may use per minute (default: the profile's)",
  GMAIL_QUOTA_COSTS:
    'Gmail quota units per method, overriding the profile\'s: "messages.get=20,history.list=2"',
  MICROSOFT_CLIENT_ID: "Azure app (client) id (sign-in and Outlook)",
  MICROSOFT_CLIENT_SECRET: "Azure app client secret",
  MICROSOFT_TENANT: "Azure tenant: common (default), organizations, consumers or a tenant id",
  GEMINI_API_KEY: "Gemini API key (the local fallback classifier is used when unset)",
  GEMINI_MODEL: "Gemini model name (default in lib/analysis/config.ts)",
  WHATSAPP_ACCESS_TOKEN: "WhatsApp Cloud API system-user token (the in-app outbox is used when unset)",
  WHATSAPP_PHONE_NUMBER_ID: "WhatsApp business phone number id that sends alerts",
  WHATSAPP_DISPLAY_NUMBER:
    "the business phone number in E.164 (+225…) that recipients write to: the opt-in wa.me link and QR code",
  WHATSAPP_BUSINESS_ACCOUNT_ID: "WhatsApp Business Account id (template creation)",
  WHATSAPP_API_VERSION:
    "Graph API version of the WhatsApp calls (default pinned in lib/channels/whatsapp/config.ts)",
  WHATSAPP_APP_SECRET: "Meta app secret: verifies X-Hub-Signature-256 of the webhook",
  WHATSAPP_VERIFY_TOKEN: "token Meta echoes when verifying the webhook URL",
  SMTP_HOST:
    "SMTP submission server of the e-mail channel (alerts and digests to e-mail recipients; the outbox when unset)",
  SMTP_PORT: "its port (default 587 with STARTTLS; 465 for implicit TLS)",
  SMTP_SECURE:
    "true for implicit TLS (default: true on port 465, otherwise STARTTLS, required except on localhost)",
  SMTP_USER: "SMTP user name (with SMTP_PASSWORD; unset for a server that needs no authentication)",
  SMTP_PASSWORD: "SMTP password or app password",
  SMTP_FROM: "the address alerts come from (alertes@your-domain)",
  SMTP_FROM_NAME: "the sender name alerts show (default FluxAsync)",
  HUBSPOT_CLIENT_ID: "HubSpot app client id (connect HubSpot from Settings)",
  HUBSPOT_CLIENT_SECRET: "HubSpot app client secret",
  ZOHO_CLIENT_ID: "Zoho API console client id, multi-DC enabled (connect Zoho CRM from Settings)",
  ZOHO_CLIENT_SECRET: "Zoho API console client secret",
  SENTRY_DSN: "optional error reporting",
  LOG_LEVEL: "debug | info | warn | error (default info)",
  DATA_DIR: "development only: where PGlite, generated secrets and the sandbox mailbox live (default .data)",
  DATABASE_URL_TEST: "tests only: a throwaway Postgres for the real-database suite (CI sets it)",
} as const;

const keyRing = z
  .string()
  .regex(
    /^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{40,}(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=_-]{40,})*$/,
    "TOKEN_ENCRYPTION_KEYS must be kid:base64key[,kid:base64key…]",
  )
  // The same rules as lib/security/key-ring.ts, checked here so a bad ring fails the build, not the
  // first token refresh in production.
  .superRefine((spec, ctx) => {
    const kids = new Set<string>();
    for (const entry of spec.split(",")) {
      const [kid = "", key = ""] = entry.split(":");
      if (Buffer.from(key, "base64").length !== 32)
        ctx.addIssue({ code: "custom", message: `key "${kid}" must be base64 of exactly 32 bytes` });
      if (kids.has(kid)) ctx.addIssue({ code: "custom", message: `duplicate kid "${kid}"` });
      kids.add(kid);
    }
  });

/** A number people can read in a console ("+225 01 02 03 04 05") is accepted and kept as E.164. */
const displayNumber = z.string().transform((value, ctx) => {
  const e164 = value.trim().startsWith("+") ? normalizePhone(value) : null;
  if (e164 === null) {
    ctx.addIssue({
      code: "custom",
      message: "WHATSAPP_DISPLAY_NUMBER must be a valid international number, e.g. +2250102030405",
    });
    return z.NEVER;
  }
  return e164;
});

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  APP_URL: z.url().optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET needs 32+ characters").optional(),
  TOKEN_ENCRYPTION_KEYS: keyRing.optional(),
  CRON_SECRET: z.string().min(16, "CRON_SECRET needs 16+ characters").optional(),
  DATABASE_URL: optional,
  DRAIN_CONCURRENCY: optional.pipe(z.coerce.number<string | undefined>().int().min(1).max(256).optional()),
  DATABASE_POOL_MAX: optional.pipe(z.coerce.number<string | undefined>().int().min(2).max(500).optional()),
  SUPABASE_URL: z.url().optional(),
  SUPABASE_SECRET_KEY: optional,
  SUPABASE_SERVICE_ROLE_KEY: optional,
  GOOGLE_CLIENT_ID: optional,
  GOOGLE_CLIENT_SECRET: optional,
  GMAIL_PUBSUB_TOPIC: z
    .string()
    .regex(/^projects\/[^/]+\/topics\/[^/]+$/, "GMAIL_PUBSUB_TOPIC must be projects/<id>/topics/<name>")
    .optional(),
  GMAIL_PUSH_AUDIENCE: optional,
  GMAIL_PUSH_SERVICE_ACCOUNT: optional,
  GMAIL_QUOTA_PROFILE: optional.pipe(z.enum(["2026-05", "legacy"]).optional()),
  GMAIL_QUOTA_USER_PER_MINUTE: optional.pipe(
    z.coerce.number<string | undefined>().int().positive().optional(),
  ),
  GMAIL_QUOTA_COSTS: optional.refine(
    (costs) => {
      try {
        gmailQuota({ costs });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'GMAIL_QUOTA_COSTS must read "method=units,…" with Gmail methods and positive integers' },
  ),
  MICROSOFT_CLIENT_ID: optional,
  MICROSOFT_CLIENT_SECRET: optional,
  MICROSOFT_TENANT: z.string().default("common"),
  GEMINI_API_KEY: optional,
  GEMINI_MODEL: optional,
  WHATSAPP_ACCESS_TOKEN: optional,
  WHATSAPP_PHONE_NUMBER_ID: optional,
  WHATSAPP_DISPLAY_NUMBER: displayNumber.optional(),
  WHATSAPP_BUSINESS_ACCOUNT_ID: optional,
  WHATSAPP_API_VERSION: optional,
  WHATSAPP_APP_SECRET: optional,
  WHATSAPP_VERIFY_TOKEN: optional,
  SMTP_HOST: optional,
  SMTP_PORT: optional.pipe(z.coerce.number<string | undefined>().int().min(1).max(65535).optional()),
  SMTP_SECURE: optional.pipe(z.enum(["true", "false"]).optional()),
  SMTP_USER: optional,
  SMTP_PASSWORD: optional,
  SMTP_FROM: optional.pipe(z.email("SMTP_FROM must be an e-mail address").optional()),
  SMTP_FROM_NAME: optional,
  HUBSPOT_CLIENT_ID: optional,
  HUBSPOT_CLIENT_SECRET: optional,
  ZOHO_CLIENT_ID: optional,
  ZOHO_CLIENT_SECRET: optional,
  SENTRY_DSN: optional,
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  DATA_DIR: z.string().default(".data"),
  // Development: the port `npm run dev` listens on (scripts/dev.ts sets it), for APP_URL's default.
  PORT: optional.pipe(z.coerce.number<string | undefined>().int().min(1).max(65535).optional()),
  DATABASE_URL_TEST: optional,
  VERCEL_GIT_COMMIT_SHA: optional,
  // Set to "1" by Vercel on its deployments: its edge sets X-Forwarded-Host, so that header is trusted.
  VERCEL: optional,
});

export type Env = z.infer<typeof schema> & {
  APP_URL: string;
  SESSION_SECRET: string;
  TOKEN_ENCRYPTION_KEYS: string;
  CRON_SECRET: string;
  WHATSAPP_APP_SECRET: string;
  WHATSAPP_VERIFY_TOKEN: string;
};

type Raw = Record<string, string | undefined>;
const GENERATED = [
  "SESSION_SECRET",
  "TOKEN_ENCRYPTION_KEYS",
  "CRON_SECRET",
  "WHATSAPP_APP_SECRET",
  "WHATSAPP_VERIFY_TOKEN",
] as const;

/** Groups that are all-or-nothing: half a provider configuration is a mistake worth stopping for. */
const GROUPS: Array<{ name: string; vars: Array<keyof typeof ENV_DOCS> }> = [
  {
    name: "Google",
    vars: [
      "GOOGLE_CLIENT_ID",
      "GOOGLE_CLIENT_SECRET",
      "GMAIL_PUBSUB_TOPIC",
      "GMAIL_PUSH_AUDIENCE",
      "GMAIL_PUSH_SERVICE_ACCOUNT",
    ],
  },
  { name: "Microsoft", vars: ["MICROSOFT_CLIENT_ID", "MICROSOFT_CLIENT_SECRET"] },
  { name: "SMTP", vars: ["SMTP_HOST", "SMTP_FROM"] },
  { name: "SMTP authentication", vars: ["SMTP_USER", "SMTP_PASSWORD"] },
  { name: "HubSpot", vars: ["HUBSPOT_CLIENT_ID", "HUBSPOT_CLIENT_SECRET"] },
  { name: "Zoho CRM", vars: ["ZOHO_CLIENT_ID", "ZOHO_CLIENT_SECRET"] },
  {
    name: "WhatsApp",
    vars: [
      "WHATSAPP_ACCESS_TOKEN",
      "WHATSAPP_PHONE_NUMBER_ID",
      "WHATSAPP_DISPLAY_NUMBER",
      "WHATSAPP_APP_SECRET",
      "WHATSAPP_VERIFY_TOKEN",
    ],
  },
];

function generateSecrets(): Record<(typeof GENERATED)[number], string> {
  return {
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    TOKEN_ENCRYPTION_KEYS: `dev1:${randomBytes(32).toString("base64")}`,
    CRON_SECRET: randomBytes(24).toString("base64url"),
    WHATSAPP_APP_SECRET: randomBytes(24).toString("hex"),
    WHATSAPP_VERIFY_TOKEN: randomBytes(16).toString("base64url"),
  };
}

/** Development secrets, generated on first start and kept so restarts can read what was encrypted. */
function developmentSecrets(dataDir: string, persist: boolean): Record<string, string> {
  if (!persist) return generateSecrets();
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
    const missing = GENERATED.filter((k) => !stored[k]);
    if (missing.length === 0) return stored;
    const merged = { ...generateSecrets(), ...stored };
    writeFileSync(file, JSON.stringify(merged, null, 2), { mode: 0o600 });
    return merged;
  }
  mkdirSync(dataDir, { recursive: true });
  const fresh = generateSecrets();
  writeFileSync(file, JSON.stringify(fresh, null, 2), { mode: 0o600 });
  return fresh;
}

export class EnvError extends Error {}

function missingInProduction(e: z.infer<typeof schema>): string[] {
  const missing: string[] = [];
  for (const k of ["APP_URL", "SESSION_SECRET", "TOKEN_ENCRYPTION_KEYS", "CRON_SECRET"] as const) {
    if (!e[k]) missing.push(k);
  }
  const hasSupabase = e.SUPABASE_URL && (e.SUPABASE_SECRET_KEY || e.SUPABASE_SERVICE_ROLE_KEY);
  if (!e.DATABASE_URL && !hasSupabase) missing.push("DATABASE_URL", "SUPABASE_URL", "SUPABASE_SECRET_KEY");
  if (!e.GOOGLE_CLIENT_ID && !e.MICROSOFT_CLIENT_ID) missing.push("GOOGLE_CLIENT_ID", "MICROSOFT_CLIENT_ID");
  for (const k of GROUPS.find((g) => g.name === "WhatsApp")!.vars) if (!e[k]) missing.push(k);
  return missing;
}

/** Parses an environment. Pure apart from the development secrets file; tests call it directly. */
export function parseEnv(raw: Raw, opts: { persistSecrets?: boolean } = {}): Env {
  // A blank value (`KEY=` copied from .env.example) means "not set", not "set to nothing".
  const set = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v.trim() !== ""));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  for (const g of GROUPS) {
    const set = g.vars.filter((k) => e[k]);
    if (set.length > 0 && set.length < g.vars.length) {
      for (const k of g.vars.filter((v) => !e[v]))
        problems.push(`  - ${k}: ${ENV_DOCS[k]} (the ${g.name} set-up is partial)`);
    }
  }
  // Every job in flight holds a connection at times; requests need one too.
  if (
    e.DATABASE_POOL_MAX !== undefined &&
    e.DATABASE_POOL_MAX <= (e.DRAIN_CONCURRENCY ?? DEFAULT_DRAIN_CONCURRENCY)
  ) {
    problems.push(
      `  - DATABASE_POOL_MAX: ${ENV_DOCS.DATABASE_POOL_MAX} (${e.DATABASE_POOL_MAX} is not more than the drain's ${e.DRAIN_CONCURRENCY ?? DEFAULT_DRAIN_CONCURRENCY})`,
    );
  }
  if (e.NODE_ENV === "production") {
    for (const k of new Set(missingInProduction(e))) {
      if (!problems.some((p) => p.startsWith(`  - ${k}:`)))
        problems.push(`  - ${k}: ${ENV_DOCS[k as keyof typeof ENV_DOCS]}`);
    }
  }
  if (problems.length > 0) {
    throw new EnvError(
      `Missing or incomplete configuration (${e.NODE_ENV}):\n${problems.join("\n")}\nSee .env.example and the README.`,
    );
  }
  if (e.NODE_ENV === "production") return e as Env;
  const secrets = developmentSecrets(e.DATA_DIR, opts.persistSecrets ?? e.NODE_ENV === "development");
  const filled = { ...e } as Record<string, unknown>;
  for (const k of GENERATED) filled[k] ??= secrets[k];
  // OAuth redirects and error pages must come back to the server that is running, on its port.
  filled.APP_URL ??= `http://localhost:${e.PORT ?? 3000}`;
  return filled as Env;
}

export const env: Env = parseEnv(process.env as Raw);

/** The real services a configuration reaches, by name: any of them turns local mode off. */
export function realProviders(e: Env): string[] {
  const on: Array<[string, unknown]> = [
    ["Google", e.GOOGLE_CLIENT_ID],
    ["Microsoft", e.MICROSOFT_CLIENT_ID],
    ["Gemini", e.GEMINI_API_KEY],
    ["WhatsApp", e.WHATSAPP_ACCESS_TOKEN],
    ["SMTP", e.SMTP_HOST],
  ];
  return on.filter(([, value]) => Boolean(value)).map(([name]) => name);
}

/**
 * Local mode: development with no real service configured — sandbox mailbox, simulated phone,
 * outbox, and "continue locally" (for loopback clients only). A configured Gemini, WhatsApp or SMTP
 * turns it off too: a session anyone can take must not send mail to a model or messages to phones
 * and addresses.
 */
export function localModeOf(e: Env): boolean {
  return e.NODE_ENV !== "production" && realProviders(e).length === 0;
}

export const isLocalMode = localModeOf(env);
