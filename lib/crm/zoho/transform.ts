import { z } from "zod";
import type { CrmContact, CrmDeal, CrmOwner } from "@/lib/crm/types";

/*
 * Zoho CRM v8 shapes ({data, info: {more_records, next_page_token}} for records; {users, info}
 * for users; lookups as {id, name}) and the pure mapping to ours. `fields` is mandatory on record
 * lists (Zoho "Get Records": REQUIRED_PARAM_MISSING without it): only what we keep is asked.
 */

export const CONTACT_FIELDS = ["Email", "Secondary_Email", "Owner", "Account_Name"];
export const DEAL_FIELDS = [
  "Deal_Name",
  "Amount",
  "Currency",
  "Stage",
  "Closing_Date",
  "Owner",
  "Account_Name",
  "Contact_Name",
];

const lookup = z.object({ id: z.string(), name: z.string().nullable().optional() }).nullable().optional();
const info = z.object({
  more_records: z.boolean(),
  next_page_token: z.string().nullable().optional(),
  page: z.number().nullable().optional(),
});

export const contactsPageSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      Email: z.string().nullable().optional(),
      Secondary_Email: z.string().nullable().optional(),
      Owner: lookup,
      Account_Name: lookup,
    }),
  ),
  info,
});
export const dealsPageSchema = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      Deal_Name: z.string().nullable().optional(),
      Amount: z.number().nullable().optional(),
      Currency: z.string().nullable().optional(),
      Stage: z.string().nullable().optional(),
      Closing_Date: z.string().nullable().optional(),
      Owner: lookup,
      Account_Name: lookup,
      Contact_Name: lookup,
    }),
  ),
  info,
});
export const usersPageSchema = z.object({
  users: z.array(z.object({ id: z.string(), full_name: z.string().nullable().optional() })),
  info,
});
export const createdSchema = z.object({
  data: z.array(z.object({ code: z.literal("SUCCESS"), details: z.object({ id: z.string() }) })).min(1),
});

export const EMPTY_PAGE = { data: [], info: { more_records: false } };

const nonEmpty = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);

export function toContact(r: z.infer<typeof contactsPageSchema>["data"][number]): CrmContact {
  return {
    remoteId: r.id,
    emails: [r.Email, r.Secondary_Email].map(nonEmpty).filter((e): e is string => e !== null),
    ownerId: r.Owner?.id ?? null,
    // Zoho's Contacts carry no lifecycle stage (leads are another module): not known.
    lifecycle: null,
    companyId: r.Account_Name?.id ?? null,
    companyName: nonEmpty(r.Account_Name?.name),
  };
}

/** An open deal, or null for a closed one: Zoho's closed stages are "Closed Won", "Closed Lost", "Closed-Lost to Competition". */
export function toOpenDeal(r: z.infer<typeof dealsPageSchema>["data"][number]): CrmDeal | null {
  if (/^closed/i.test(r.Stage ?? "")) return null;
  return {
    remoteId: r.id,
    name: nonEmpty(r.Deal_Name),
    amount: typeof r.Amount === "number" && Number.isFinite(r.Amount) ? r.Amount : null,
    // Currency is present only in multi-currency organizations; else the organization's own.
    currency: nonEmpty(r.Currency),
    stage: nonEmpty(r.Stage),
    closeDate: nonEmpty(r.Closing_Date)?.slice(0, 10) ?? null,
    ownerId: r.Owner?.id ?? null,
    companyId: r.Account_Name?.id ?? null,
    contactIds: r.Contact_Name?.id ? [r.Contact_Name.id] : [],
  };
}

export const toOwner = (u: z.infer<typeof usersPageSchema>["users"][number]): CrmOwner => ({
  remoteId: u.id,
  name: nonEmpty(u.full_name) ?? u.id,
});
