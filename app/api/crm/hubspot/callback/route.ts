// GET /api/crm/hubspot/callback — HubSpot redirects here after consent: tokens to the vault, first sync queued.
import { finishCrmConnect } from "@/lib/http/crm-oauth";
import { withRoute } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = withRoute("crm:hubspot:callback", (req, { log }) => finishCrmConnect(req, "hubspot", log));
