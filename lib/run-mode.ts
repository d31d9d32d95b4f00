import { type Env, localModeOf, realProviders } from "@/lib/env";

/**
 * The start-up line that says which mode runs and why (instrumentation.ts prints it): local mode
 * hands a session to whoever reaches the port from this machine, so it must never be a surprise.
 */
export function describeRunMode(e: Env): string {
  if (localModeOf(e)) {
    return [
      "FluxAsync Mail: LOCAL MODE — sandbox mailbox, rule-based classifier, WhatsApp outbox and simulated phone;",
      '  "Continuer en mode local" signs in whoever connects from this machine (loopback only).',
      "  Set Google, Microsoft, Gemini or WhatsApp variables (.env.example) to leave local mode.",
    ].join("\n");
  }
  const providers = realProviders(e);
  const where = e.NODE_ENV === "production" ? "production" : "development";
  const lines = [
    `FluxAsync Mail: CONNECTED MODE (${where}) — ${providers.join(", ") || "no provider"} configured; local sign-in is off.`,
  ];
  if (!e.GOOGLE_CLIENT_ID && !e.MICROSOFT_CLIENT_ID) {
    lines.push(
      "  No sign-in is configured (GOOGLE_* or MICROSOFT_*), so nobody can sign in: configure one,",
      `  or unset ${providers.join(" and ")} to run in local mode.`,
    );
  }
  return lines.join("\n");
}
