import type { CrmProviderKind } from "@/lib/crm/types";

/**
 * The link to a record in the CRM's own web app, from the connection's web base (set at connect):
 * HubSpot `/contacts/<hub>/record/<object type id>/<id>` (0-1 contacts, 0-3 deals), Zoho
 * `/crm/<org domain>/tab/<Contacts|Potentials>/<id>` (Deals are "Potentials" in Zoho's URLs), the
 * demo CRM its page in the app.
 */
export function crmRecordUrl(
  provider: CrmProviderKind,
  webBase: string,
  object: "contact" | "deal",
  id: string,
): string {
  const ref = encodeURIComponent(id);
  if (provider === "hubspot") return `${webBase}/record/${object === "contact" ? "0-1" : "0-3"}/${ref}`;
  if (provider === "zoho") return `${webBase}/tab/${object === "contact" ? "Contacts" : "Potentials"}/${ref}`;
  return `${webBase}#${object}-${ref}`;
}
