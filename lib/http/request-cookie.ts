/**
 * One cookie of a route handler request (route handlers get a plain Request, not next/headers).
 * A value that is not valid percent-encoding is treated as absent: the cookie header is the
 * client's to write, and garbage in it must not turn a request into a 500.
 */
export function requestCookie(req: Request, name: string): string | null {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join("="));
    } catch {
      return null;
    }
  }
  return null;
}
