import { z } from "zod";
import type { CrmContact, CrmDeal, CrmOwner, Lifecycle } from "@/lib/crm/types";

/*
 * HubSpot CRM v3 shapes (objects API: {results, paging.next.after}; properties are strings or
 * null) and the pure mapping to ours. Only the properties the analysis and the email page need are
 * requested (CONTACT_PROPERTIES, DEAL_PROPERTIES).
 */

export const CONTACT_PROPERTIES = [
  "email",
  "hs_additional_emails",
  "hubspot_owner_id",
  "lifecyclestage",
  "associatedcompanyid",
  "company",
];
export const DEAL_PROPERTIES = [
  "dealname",
  "amount",
  "deal_currency_code",
  "dealstage",
  "closedate",
  "hubspot_owner_id",
  "hs_is_closed",
];

const props = z.record(z.string(), z.string().nullable().optional());
const associations = z
  .record(z.string(), z.object({ results: z.array(z.object({ id: z.string() })) }))
  .optional();

export const objectPageSchema = z.object({
  results: z.array(
    z.object({ id: z.string(), properties: props, associations, archived: z.boolean().optional() }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});
export type ObjectPage = z.infer<typeof objectPageSchema>;

export const ownersPageSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      firstName: z.string().nullable().optional(),
      lastName: z.string().nullable().optional(),
      email: z.string().nullable().optional(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

export const createdSchema = z.object({ id: z.string() });

// HubSpot's default lifecycle stages (internal values); custom stages are "other".
const LIFECYCLE: Record<string, Lifecycle> = {
  subscriber: "subscriber",
  lead: "lead",
  marketingqualifiedlead: "lead",
  salesqualifiedlead: "lead",
  opportunity: "opportunity",
  customer: "customer",
  evangelist: "customer",
  other: "other",
};

const nonEmpty = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

export function toContact(r: ObjectPage["results"][number]): CrmContact {
  const p = r.properties;
  const emails = [p.email, ...(p.hs_additional_emails ?? "").split(";")]
    .map(nonEmpty)
    .filter((e): e is string => e !== null);
  const stage = nonEmpty(p.lifecyclestage);
  return {
    remoteId: r.id,
    emails,
    ownerId: nonEmpty(p.hubspot_owner_id),
    lifecycle: stage ? (LIFECYCLE[stage] ?? "other") : null,
    companyId: nonEmpty(p.associatedcompanyid) ?? r.associations?.companies?.results[0]?.id ?? null,
    companyName: nonEmpty(p.company),
  };
}

/** An open deal, or null for a closed one (won or lost: hs_is_closed). */
export function toOpenDeal(r: ObjectPage["results"][number]): CrmDeal | null {
  const p = r.properties;
  if (p.hs_is_closed === "true") return null;
  const amount = p.amount ? Number(p.amount) : null;
  return {
    remoteId: r.id,
    name: nonEmpty(p.dealname),
    amount: amount !== null && Number.isFinite(amount) ? amount : null,
    currency: nonEmpty(p.deal_currency_code),
    stage: nonEmpty(p.dealstage),
    closeDate: nonEmpty(p.closedate)?.slice(0, 10) ?? null,
    ownerId: nonEmpty(p.hubspot_owner_id),
    companyId: r.associations?.companies?.results[0]?.id ?? null,
    contactIds: (r.associations?.contacts?.results ?? []).map((a) => a.id),
  };
}

export function toOwner(o: z.infer<typeof ownersPageSchema>["results"][number]): CrmOwner {
  const name = [o.firstName, o.lastName].map(nonEmpty).filter(Boolean).join(" ");
  // Never the owner's e-mail as a stand-in: a name, or the id.
  return { remoteId: o.id, name: name || o.id };
}
