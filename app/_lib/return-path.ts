/*
 * Where a form sends the user back after an action. The value comes from the form, so anyone can
 * write it: it is resolved first (so "/settings/..//evil.example" becomes the "//evil.example" a
 * browser would follow off-site), then its path must be exactly one of our pages. Only the path,
 * a rebuilt query and a plain fragment are kept.
 */
const PAGES = new Set(["/onboarding", "/dashboard", "/settings", "/stats", "/audit"]);
const EMAIL_PAGE = /^\/dashboard\/emails\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FRAGMENT = /^#[a-z0-9-]{1,40}$/;
const BASE = "http://return.invalid";

export function safeReturnPath(value: unknown, fallback: string): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > 2000) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || !(PAGES.has(url.pathname) || EMAIL_PAGE.test(url.pathname))) return fallback;
  const query = new URLSearchParams(url.searchParams).toString();
  const fragment = FRAGMENT.test(url.hash) ? url.hash : "";
  return `${url.pathname}${query ? `?${query}` : ""}${fragment}`;
}
