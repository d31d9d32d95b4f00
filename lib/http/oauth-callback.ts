import { NextResponse } from "next/server";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { safeEqual } from "@/lib/http/constant-time";
import { requestCookie } from "@/lib/http/request-cookie";
import { openSession } from "@/lib/http/session";
import {
  ProviderRequestError,
  ProviderUnavailableError,
  RateLimitedError,
  ReconnectRequiredError,
  UnauthorizedError,
} from "@/lib/mail/errors";
import {
  cookieOptions,
  OAUTH_COOKIE,
  type OAuthFlow,
  openOAuthFlow,
  SESSION_COOKIE,
} from "@/lib/security/session";

export type OAuthFailure =
  | "denied"
  | "state"
  | "expired"
  | "scope"
  | "mailbox_taken"
  | "provider"
  | "identity";

/** The error page says what happened and offers to retry; the OAuth cookie is cleared. */
export function oauthError(provider: "google" | "microsoft", reason: OAuthFailure): Response {
  const res = NextResponse.redirect(
    new URL(`/auth/error?provider=${provider}&reason=${reason}`, env.APP_URL),
    303,
  );
  res.cookies.set(OAUTH_COOKIE, "", cookieOptions(0));
  return res;
}

/**
 * Checks the callback against the flow started by /start: the provider's error, the encrypted flow
 * cookie and the state (constant time). Returns the code and PKCE verifier, or the failure.
 */
export async function checkCallback(
  req: Request,
  provider: OAuthFlow["provider"],
): Promise<{ ok: true; code: string; flow: OAuthFlow } | { ok: false; reason: OAuthFailure }> {
  const url = new URL(req.url);
  const error = url.searchParams.get("error");
  if (error) return { ok: false, reason: error === "access_denied" ? "denied" : "provider" };
  const flow = await openOAuthFlow(requestCookie(req, OAUTH_COOKIE));
  const state = url.searchParams.get("state");
  if (!flow || flow.provider !== provider || !safeEqual(flow.state, state))
    return { ok: false, reason: "state" };
  const code = url.searchParams.get("code");
  if (!code) return { ok: false, reason: "provider" };
  return { ok: true, code, flow };
}

/**
 * Maps what the code exchange or id_token check threw to what the user is told. The vendor failing
 * (5xx, throttled, an answer we cannot read) is "provider": a page offering to retry, not a JSON 500.
 */
export function exchangeFailure(error: unknown): OAuthFailure | null {
  if (error instanceof ReconnectRequiredError) return "expired";
  if (error instanceof UnauthorizedError) return "identity";
  const vendor =
    error instanceof ProviderRequestError ||
    error instanceof ProviderUnavailableError ||
    error instanceof RateLimitedError;
  return vendor ? "provider" : null;
}

/**
 * Signed in: a new session (the one this browser held ends), its cookie set, the flow cookie
 * cleared, and on to onboarding.
 */
export async function signedIn(
  req: Request,
  account: { userId: string; organizationId: string },
  onboarded: boolean,
) {
  const res = NextResponse.redirect(new URL(onboarded ? "/dashboard" : "/onboarding", env.APP_URL), 303);
  const session = await openSession(await db(), account, requestCookie(req, SESSION_COOKIE));
  res.cookies.set(session.name, session.value, session.options);
  res.cookies.set(OAUTH_COOKIE, "", cookieOptions(0));
  return res;
}
