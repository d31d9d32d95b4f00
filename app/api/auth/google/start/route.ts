// GET /api/auth/google/start — sign in / sign up with Google and connect that Gmail (state + PKCE).
import { NextResponse } from "next/server";
import { googleRedirectUri } from "@/lib/config/mail-providers";
import { env } from "@/lib/env";
import { withRoute } from "@/lib/http/route";
import { googleAuthorizationUrl } from "@/lib/mail/gmail/oauth";
import { createPkce, randomState } from "@/lib/mail/oauth/pkce";
import { cookieOptions, OAUTH_COOKIE, sealOAuthFlow } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const GET = withRoute("auth:google:start", async (req) => {
  if (!env.GOOGLE_CLIENT_ID) {
    return NextResponse.redirect(
      new URL("/auth/error?provider=google&reason=not_configured", env.APP_URL),
      303,
    );
  }
  const url = new URL(req.url);
  const pkce = createPkce();
  const state = randomState();
  // A plain sign-in keeps the existing refresh token; connecting asks for consent so Google issues one.
  const needRefreshToken = url.searchParams.get("intent") !== "signin";
  const response = NextResponse.redirect(
    googleAuthorizationUrl({
      clientId: env.GOOGLE_CLIENT_ID,
      redirectUri: googleRedirectUri(),
      state,
      codeChallenge: pkce.challenge,
      loginHint: url.searchParams.get("login_hint") ?? undefined,
      needRefreshToken,
    }),
    302,
  );
  response.cookies.set(
    OAUTH_COOKIE,
    await sealOAuthFlow({ provider: "google", state, verifier: pkce.verifier }),
    cookieOptions(600),
  );
  return response;
});
