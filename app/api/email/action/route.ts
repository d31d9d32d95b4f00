// GET/POST /api/email/action?t=<signed token> — the links of an e-mail alert (handled, snooze, mute,
// confirm, unsubscribe). GET only shows a confirmation form, because mail scanners open links;
// POST acts (the form, or a mail client's RFC 8058 one-click unsubscribe).
import { actionPage } from "@/app/api/email/action/page-html";
import { db } from "@/lib/db/client";
import { withRoute } from "@/lib/http/route";
import { actOnLink, describeLink, invalidText } from "@/lib/jobs/email-action";
import { verifyActionToken } from "@/lib/security/action-link";

export const dynamic = "force-dynamic";

async function tokenOf(req: Request): Promise<string> {
  const fromQuery = new URL(req.url).searchParams.get("t");
  if (fromQuery) return fromQuery;
  if (!(req.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded")) return "";
  return new URLSearchParams((await req.text()).slice(0, 4096)).get("t") ?? "";
}

export const GET = withRoute("email-action", async (req) => {
  const token = new URL(req.url).searchParams.get("t") ?? "";
  const page = await describeLink(await db(), await verifyActionToken(token));
  const form = page.submit ? { token, submit: page.submit } : undefined;
  return actionPage({ locale: page.locale, text: page.text, form }, page.ok ? 200 : 410);
});

export const POST = withRoute("email-action", async (req, { log }) => {
  const claims = await verifyActionToken(await tokenOf(req));
  if (!claims) return actionPage({ locale: "fr", text: invalidText() }, 410);
  const result = await actOnLink({ db: await db(), log, now: new Date() }, claims);
  return actionPage({ locale: result.locale, text: result.text }, result.ok ? 200 : 410);
});
