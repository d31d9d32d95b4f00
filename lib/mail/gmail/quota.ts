/**
 * Gmail quota facts, in one place. Source: Gmail API "Usage limits"
 * (developers.google.com/workspace/gmail/api/reference/quota), read 2026-12-01, and Google's
 * "standardized model for agent tools and API" page announcing the change of 2026-05-01.
 *
 * Two policies are in force at once:
 * - "legacy": projects that used the Gmail API between November 2025 and April 2026 keep the old
 *   limits — 15,000 units per user per minute (1,200,000 per project) and the long-standing
 *   per-method costs (messages.get 5).
 * - "2026-05": projects created from May 2026 get 6,000 units per user per minute (1,200,000 per
 *   project, and an 80,000,000-unit daily billing threshold), and reading a message costs more
 *   (messages.get 20, as third-party guides of the new table report; the other methods we call are
 *   listed at their old costs).
 * A new deployment is a new project, so "2026-05" is the default; the profile, the per-user budget
 * and any method's cost can be overridden from the environment (GMAIL_QUOTA_*, lib/env.ts) when
 * Google's console shows other figures for the project. The bench reads the same table.
 */
const LEGACY_COSTS = {
  getProfile: 1,
  watch: 100,
  stop: 50,
  "history.list": 2,
  "messages.list": 5,
  "messages.get": 5,
  "messages.attachments.get": 5,
  "messages.modify": 5,
  // Gmail's usage-limits table: messages.send costs 100 units.
  "messages.send": 100,
  "labels.list": 1,
  "labels.create": 5,
} as const;

export type GmailMethod = keyof typeof LEGACY_COSTS;
export type GmailCosts = Record<GmailMethod, number>;

export const GMAIL_QUOTA_PROFILES = {
  legacy: { perUserPerMinute: 15_000, costs: LEGACY_COSTS },
  "2026-05": { perUserPerMinute: 6_000, costs: { ...LEGACY_COSTS, "messages.get": 20 } },
} as const satisfies Record<string, { perUserPerMinute: number; costs: GmailCosts }>;

export type GmailQuotaProfile = keyof typeof GMAIL_QUOTA_PROFILES;
export const DEFAULT_GMAIL_QUOTA_PROFILE: GmailQuotaProfile = "2026-05";
export const GMAIL_METHODS = Object.keys(LEGACY_COSTS) as GmailMethod[];

/** The per-user window Gmail counts in. */
export const GMAIL_QUOTA_WINDOW_SECONDS = 60;

export type GmailQuota = { profile: GmailQuotaProfile; perUserPerMinute: number; costs: GmailCosts };

/**
 * The quota in force: a profile, then overrides. `costs` overrides read "method=units,…"
 * ("messages.get=20,history.list=2"); an unknown method or a non-positive number is an error, so a
 * typo in the environment fails the start instead of silently counting wrong.
 */
export function gmailQuota(
  settings: { profile?: string; perUserPerMinute?: number; costs?: string } = {},
): GmailQuota {
  const profile = (settings.profile || DEFAULT_GMAIL_QUOTA_PROFILE) as GmailQuotaProfile;
  const base = GMAIL_QUOTA_PROFILES[profile];
  if (!base) throw new Error(`Unknown Gmail quota profile "${settings.profile}" (legacy or 2026-05)`);
  const costs: GmailCosts = { ...base.costs };
  for (const pair of (settings.costs ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [method, units] = pair.split("=").map((s) => s.trim());
    if (!method || !(method in costs)) throw new Error(`Unknown Gmail method "${method}" in quota costs`);
    const n = Number(units);
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`Gmail quota cost of ${method} must be a positive integer`);
    costs[method as GmailMethod] = n;
  }
  const perUserPerMinute = settings.perUserPerMinute ?? base.perUserPerMinute;
  if (!Number.isInteger(perUserPerMinute) || perUserPerMinute <= 0) {
    throw new Error("The Gmail per-user budget must be a positive integer of units per minute");
  }
  return { profile, perUserPerMinute, costs };
}
