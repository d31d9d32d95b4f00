// GET /api/auth/microsoft/start — sign in / sign up with Microsoft (work, school or personal account)
// and connect that Outlook mailbox (state + PKCE); `?intent=replies` asks Mail.Send too (Settings › Réponses).
import { NextResponse } from "next/server";
import { microsoftRedirectUri } from "@/lib/config/mail-providers";
import { env } from "@/lib/env";
import { withRoute } from "@/lib/http/route";
import { createPkce, randomState } from "@/lib/mail/oauth/pkce";
import { microsoftAuthorizationUrl } from "@/lib/mail/outlook/oauth";
import { cookieOptions, OAUTH_COOKIE, sealOAuthFlow } from "@/lib/security/session";

export const dynamic = "force-dynamic";

export const GET = withRoute("auth:microsoft:start", async (req) => {
  if (!env.MICROSOFT_CLIENT_ID || !env.MICROSOFT_CLIENT_SECRET) {
    return NextResponse.redirect(
      new URL("/auth/error?provider=microsoft&reason=not_configured", env.APP_URL),
      303,
    );
  }
  const url = new URL(req.url);
  const pkce = createPkce();
  const state = randomState();
  // offline_access always yields a refresh token, so no forced consent. Connecting lets the user pick
  // which of their signed-in accounts to connect; a plain sign-in goes straight through.
  const intent = url.searchParams.get("intent");
  const prompt = intent === "signin" ? undefined : "select_account";
  // Settings › Réponses: the same sign-in, asking Mail.Send on top (incremental consent).
  const replies = intent === "replies";
  const response = NextResponse.redirect(
    microsoftAuthorizationUrl({
      clientId: env.MICROSOFT_CLIENT_ID,
      tenant: env.MICROSOFT_TENANT,
      redirectUri: microsoftRedirectUri(),
      state,
      codeChallenge: pkce.challenge,
      loginHint: url.searchParams.get("login_hint") ?? undefined,
      prompt,
      replies,
    }),
    302,
  );
  response.cookies.set(
    OAUTH_COOKIE,
    await sealOAuthFlow({
      provider: "microsoft",
      state,
      verifier: pkce.verifier,
      ...(replies ? { replies, returnTo: "/settings#replies" } : {}),
    }),
    cookieOptions(600),
  );
  return response;
});
