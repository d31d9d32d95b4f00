import { createHash } from "node:crypto";
import { jwtVerify, SignJWT } from "jose";
import { z } from "zod";
import { env } from "@/lib/env";

/*
 * Signed, expiring links that stand in for WhatsApp's reply buttons in an e-mail: one alert, one
 * command. The token is an HS256 JWT under a key of its own (derived from SESSION_SECRET, like the
 * session's), audience `fluxasync:action`; what it may touch is checked again when it is used (the
 * alert's recipient acts, within the alert's organization: lib/jobs/email-action.ts).
 */

export const LINK_COMMANDS = ["done", "snooze", "mute", "start", "stop"] as const;
export type LinkCommand = (typeof LINK_COMMANDS)[number];

/** Buttons act for a week; consent links for as long; an unsubscribe link must keep working (90 days). */
const LIFETIME_DAYS: Record<LinkCommand, number> = { done: 7, snooze: 7, mute: 7, start: 7, stop: 90 };

const key = () => createHash("sha256").update(`action-link:${env.SESSION_SECRET}`).digest();
const claims = z.object({ sub: z.uuid(), cmd: z.enum(LINK_COMMANDS) });

export type ActionClaims = { alertId: string; command: LinkCommand };

export function signActionToken(p: ActionClaims, now = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ cmd: p.command })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(p.alertId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + LIFETIME_DAYS[p.command] * 86_400)
    .setIssuer("fluxasync")
    .setAudience("fluxasync:action")
    .sign(key());
}

/** The claims of a valid, unexpired token, or null (tampered, expired, another purpose's token). */
export async function verifyActionToken(token: string, now = new Date()): Promise<ActionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(), {
      algorithms: ["HS256"],
      issuer: "fluxasync",
      audience: "fluxasync:action",
      currentDate: now,
    });
    const parsed = claims.parse(payload);
    return { alertId: parsed.sub, command: parsed.cmd };
  } catch {
    return null;
  }
}

/** The command a button id names, when an e-mail link can carry it (`done:<alert>` → done). */
export function linkCommandOf(buttonId: string): LinkCommand | null {
  const kind = buttonId.split(":", 1)[0] ?? "";
  return (LINK_COMMANDS as readonly string[]).includes(kind) ? (kind as LinkCommand) : null;
}
