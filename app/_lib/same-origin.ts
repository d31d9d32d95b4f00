import { env } from "@/lib/env";

/**
 * POST routes and server actions driven by our own forms refuse a browser request sent from
 * another site. Browsers always send Origin on POST; a request without it is not a cross-site
 * form (and the session cookie is SameSite=Lax besides).
 *
 * The Origin is compared with the Host the request was sent to. X-Forwarded-Host is a header
 * anyone can write, so it counts only where the deployment sets it itself: on Vercel (VERCEL=1),
 * whose edge overwrites it with the host the browser used.
 */
export function isSameOrigin(
  req: Request,
  opts: { trustForwardedHost?: boolean } = { trustForwardedHost: env.VERCEL === "1" },
): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return true;
  const forwarded = opts.trustForwardedHost ? req.headers.get("x-forwarded-host") : null;
  const host = forwarded?.split(",")[0]?.trim() || req.headers.get("host");
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
