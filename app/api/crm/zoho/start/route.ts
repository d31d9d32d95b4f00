// GET /api/crm/zoho/start — Settings › CRM "Connect Zoho CRM": to its consent screen (state + PKCE).
import { startCrmConnect } from "@/lib/http/crm-oauth";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withRoute("crm:zoho:start", (req) => startCrmConnect(req, "zoho"));
