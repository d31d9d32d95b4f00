import { demoCrm } from "@/lib/crm/demo/provider";
import { hubspotOAuth } from "@/lib/crm/hubspot/oauth";
import { createHubSpotProvider } from "@/lib/crm/hubspot/provider";
import type { CrmOAuth, CrmProvider, CrmProviderKind } from "@/lib/crm/types";
import { zohoOAuth } from "@/lib/crm/zoho/oauth";
import { createZohoProvider } from "@/lib/crm/zoho/provider";
import { demoStore } from "@/lib/db/crm-demo";
import type { Db } from "@/lib/db/port";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors/app-error";

/** Where a CRM's OAuth redirect comes back to (register it in the CRM's developer console). */
export const crmRedirectUri = (kind: "hubspot" | "zoho") =>
  new URL(`/api/crm/${kind}/callback`, env.APP_URL).toString();

/** Where the demo CRM's records open in the app. */
export const DEMO_CRM_WEB_BASE = "/settings/crm";

function notConfigured(what: string): never {
  throw new AppError("not_configured", `${what} is not configured on this server (see the README's set-up).`);
}

/** Which CRMs this server can connect (Settings shows only these). */
export function availableCrms(): CrmProviderKind[] {
  const kinds: CrmProviderKind[] = [];
  if (env.HUBSPOT_CLIENT_ID) kinds.push("hubspot");
  if (env.ZOHO_CLIENT_ID) kinds.push("zoho");
  if (env.NODE_ENV !== "production") kinds.push("demo");
  return kinds;
}

/** The CRM behind a connection, configured from the environment. */
export function crmProviderFor(kind: CrmProviderKind, db: Db): CrmProvider {
  if (kind === "demo") {
    if (env.NODE_ENV === "production") notConfigured("The demo CRM (local mode only)");
    return demoCrm(demoStore(db));
  }
  if (kind === "hubspot") {
    if (!env.HUBSPOT_CLIENT_ID || !env.HUBSPOT_CLIENT_SECRET) notConfigured("HubSpot");
    return createHubSpotProvider({
      clientId: env.HUBSPOT_CLIENT_ID,
      clientSecret: env.HUBSPOT_CLIENT_SECRET,
    });
  }
  if (!env.ZOHO_CLIENT_ID || !env.ZOHO_CLIENT_SECRET) notConfigured("Zoho CRM");
  return createZohoProvider({ clientId: env.ZOHO_CLIENT_ID, clientSecret: env.ZOHO_CLIENT_SECRET });
}

/** The OAuth half of a CRM this server has an app for, or null (Settings then does not offer it). */
export function crmOAuthFor(kind: "hubspot" | "zoho"): CrmOAuth | null {
  if (kind === "hubspot")
    return env.HUBSPOT_CLIENT_ID && env.HUBSPOT_CLIENT_SECRET
      ? hubspotOAuth({ clientId: env.HUBSPOT_CLIENT_ID, clientSecret: env.HUBSPOT_CLIENT_SECRET })
      : null;
  return env.ZOHO_CLIENT_ID && env.ZOHO_CLIENT_SECRET
    ? zohoOAuth({ clientId: env.ZOHO_CLIENT_ID, clientSecret: env.ZOHO_CLIENT_SECRET })
    : null;
}
