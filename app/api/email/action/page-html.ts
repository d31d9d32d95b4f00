import type { Locale } from "@/lib/domain/vocabulary";

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/** The small page an e-mail link opens: a sentence, and the button that confirms it when there is one. */
export function actionPage(
  p: { locale: Locale; text: string; form?: { token: string; submit: string } },
  status = 200,
): Response {
  const title = "FluxAsync";
  const form = p.form
    ? `<form method="post"><input type="hidden" name="t" value="${escapeHtml(p.form.token)}"><button type="submit">${escapeHtml(p.form.submit)}</button></form>`
    : "";
  const html = `<!doctype html><html lang="${p.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title></head><body style="font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5"><h1>${escapeHtml(title)}</h1><p data-testid="action-text">${escapeHtml(p.text).replaceAll("\n", "<br>")}</p>${form}</body></html>`;
  return new Response(html, {
    status,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    },
  });
}
