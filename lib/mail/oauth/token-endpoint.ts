import { z } from "zod";
import {
  ProviderRequestError,
  ProviderUnavailableError,
  parseRetryAfter,
  RateLimitedError,
  ReconnectRequiredError,
} from "@/lib/mail/errors";
import type { TokenSet } from "@/lib/mail/provider";
import type { ProviderKind } from "@/lib/mail/types";

/** RFC 6749 §5.1 success body (Google and Microsoft identity platform share it). */
const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  // Some Microsoft endpoints send it as a string.
  expires_in: z.coerce.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
  token_type: z.string(),
  id_token: z.string().min(1).optional(),
});

/** RFC 6749 §5.2 error body. */
const tokenErrorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

export type TokenEndpointResult = { tokens: TokenSet; idToken: string | null };

/**
 * POSTs a form-encoded grant to an OAuth token endpoint and maps the answer to our types.
 * `invalid_grant` (revoked or expired refresh token, used or expired code) means only the user can
 * fix it, so it becomes `ReconnectRequiredError` and callers stop retrying.
 */
export async function postTokenRequest(
  provider: ProviderKind,
  url: string,
  form: Record<string, string>,
  options: { reconnectErrors?: readonly string[]; now?: () => number } = {},
): Promise<TokenEndpointResult> {
  const now = options.now ?? Date.now;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams(form),
    });
  } catch (cause) {
    throw new ProviderUnavailableError(provider, null, { cause });
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const parsed = tokenResponseSchema.safeParse(body);
    if (!parsed.success) throw new ProviderRequestError(provider, response.status, "invalid_response");
    const t = parsed.data;
    return {
      tokens: {
        accessToken: t.access_token,
        refreshToken: t.refresh_token ?? null,
        expiresAt: now() + t.expires_in * 1000,
        scope: t.scope ?? null,
      },
      idToken: t.id_token ?? null,
    };
  }
  if (response.status === 429) {
    throw new RateLimitedError(provider, parseRetryAfter(response.headers.get("retry-after"), now()));
  }
  if (response.status >= 500) throw new ProviderUnavailableError(provider, response.status);
  const error = tokenErrorSchema.safeParse(body);
  const code = error.success ? error.data.error : `http_${response.status}`;
  if ((options.reconnectErrors ?? ["invalid_grant"]).includes(code)) {
    throw new ReconnectRequiredError(provider, code);
  }
  throw new ProviderRequestError(provider, response.status, code);
}
