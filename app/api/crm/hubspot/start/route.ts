// GET /api/crm/hubspot/start — Settings › CRM "Connect HubSpot": to its consent screen (state + PKCE).
import { startCrmConnect } from "@/lib/http/crm-oauth";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withRoute("crm:hubspot:start", (req) => startCrmConnect(req, "hubspot"));
