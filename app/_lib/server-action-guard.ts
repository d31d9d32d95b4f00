import { LOCALE_COOKIE } from "@/app/_lib/locale-cookie";
import { isSameOrigin } from "@/app/_lib/same-origin";
import { requestCookie } from "@/lib/http/request-cookie";
import { toLocale, translator } from "@/lib/i18n/catalogue";

/*
 * Server actions are POSTs to a page. Next.js answers a cross-site one, or one whose body it cannot
 * decode, with a 500 (it throws inside its action handler, before any of our code). proxy.ts asks
 * this first, so such a request gets a 403 or a 400 with a sentence the person can read instead.
 */

type Refusal = "forbidden" | "malformed";

function page(req: Request, refusal: Refusal, status: number): Response {
  const locale = toLocale(requestCookie(req, LOCALE_COOKIE));
  const t = translator(locale, "web");
  const title = t(`requestRefused.${refusal}.title`);
  const text = t(`requestRefused.${refusal}.text`);
  // A fetch-driven action reads text; a form posted without JavaScript shows a page.
  if (req.headers.get("next-action")) {
    return new Response(`${title} ${text}`, {
      status,
      headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
    });
  }
  const html = (s: string) =>
    s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
  const body = `<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>${html(title)}</title><main><h1>${html(title)}</h1><p>${html(text)}</p><p><a href="/">${html(t("notFound.home"))}</a></p></main></html>`;
  return new Response(body, {
    status,
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}

/** Can this body be what React sends for a server action (its encoded arguments)? */
async function decodable(req: Request): Promise<boolean> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  try {
    if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
      await req.clone().formData();
      return true;
    }
    if (type.startsWith("text/plain")) {
      JSON.parse(await req.clone().text());
      return true;
    }
  } catch {
    return false;
  }
  // No body type at all is fine for an action without arguments; anything else is not React's.
  return type === "";
}

/** A response refusing a page POST that cannot be a legitimate server action, or null to let it through. */
export async function refuseServerAction(req: Request): Promise<Response | null> {
  if (req.method !== "POST") return null;
  if (!isSameOrigin(req)) return page(req, "forbidden", 403);
  if (!(await decodable(req))) return page(req, "malformed", 400);
  return null;
}
