/**
 * POST routes driven by our own forms (sign-in, sign-out, drain) refuse a browser request sent
 * from another site. Browsers always send Origin on POST; a request without it is not a
 * cross-site form (and the session cookie is SameSite=Lax besides).
 */
export function isSameOrigin(req: Request): boolean {
  const origin = req.headers.get("origin");
  if (!origin) return true;
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
