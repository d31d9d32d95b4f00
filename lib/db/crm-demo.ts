import { z } from "zod";
import type { DemoActivity, DemoStore } from "@/lib/crm/demo/provider";
import { call, type Db, isoDate, nullableIsoDate } from "@/lib/db/port";

const lifecycle = z.enum(["subscriber", "lead", "opportunity", "customer", "other"]);
const stage = z.enum(["qualification", "proposal", "negotiation", "won", "lost"]);

export const demoContactSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  company: z.string().nullable(),
  ownerName: z.string().nullable(),
  lifecycle,
});
export const demoDealSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  name: z.string(),
  amountXof: z.coerce.number(),
  stage,
  closeDate: z.string().nullable(),
});
export const demoActivitySchema = z.object({
  id: z.string(),
  kind: z.enum(["note", "task"]),
  subject: z.string(),
  body: z.string(),
  dueAt: nullableIsoDate,
  ownerName: z.string().nullable(),
  contactId: z.string().nullable(),
  dealId: z.string().nullable(),
  createdAt: isoDate,
});
export type DemoContact = z.infer<typeof demoContactSchema>;
export type DemoDeal = z.infer<typeof demoDealSchema>;

/** The demo CRM's tables behind the CRM interface (lib/crm/demo). */
export function demoStore(db: Db): DemoStore {
  return {
    contacts: (organizationId, after, limit) =>
      call(
        db,
        "demo_crm_page",
        { p_organization_id: organizationId, p_object: "contacts", p_after: after, p_limit: limit },
        z.array(demoContactSchema),
      ),
    deals: (organizationId, after, limit) =>
      call(
        db,
        "demo_crm_page",
        { p_organization_id: organizationId, p_object: "deals", p_after: after, p_limit: limit },
        z.array(demoDealSchema),
      ),
    addActivity: (organizationId, a: DemoActivity) =>
      call(
        db,
        "demo_crm_add_activity",
        {
          p_organization_id: organizationId,
          p_idempotency_key: a.key,
          p_kind: a.kind,
          p_contact_id: a.contactId,
          p_deal_id: a.dealId,
          p_subject: a.subject,
          p_body: a.body,
          p_due_at: a.dueAt,
          p_owner_name: a.ownerName,
        },
        z.object({ id: z.string().nullable(), notFound: z.boolean() }),
      ),
  };
}

export const listDemoCrm = (db: Db, organizationId: string) =>
  call(
    db,
    "demo_crm_list",
    { p_organization_id: organizationId },
    z.object({
      contacts: z.array(demoContactSchema),
      deals: z.array(demoDealSchema),
      activities: z.array(demoActivitySchema),
    }),
  );

export type DemoContactInput = {
  id: string | null;
  email: string;
  name: string;
  company: string | null;
  ownerName: string | null;
  lifecycle: z.infer<typeof lifecycle>;
};

export const saveDemoContact = (db: Db, organizationId: string, c: DemoContactInput) =>
  call(
    db,
    "demo_crm_save_contact",
    {
      p_organization_id: organizationId,
      p_id: c.id,
      p_email: c.email,
      p_name: c.name,
      p_company: c.company,
      p_owner_name: c.ownerName,
      p_lifecycle: c.lifecycle,
    },
    demoContactSchema,
  );

export type DemoDealInput = {
  id: string | null;
  contactId: string;
  name: string;
  amountXof: number;
  stage: z.infer<typeof stage>;
  closeDate: string | null;
};

export const saveDemoDeal = (db: Db, organizationId: string, d: DemoDealInput) =>
  call(
    db,
    "demo_crm_save_deal",
    {
      p_organization_id: organizationId,
      p_id: d.id,
      p_contact_id: d.contactId,
      p_name: d.name,
      p_amount_xof: d.amountXof,
      p_stage: d.stage,
      p_close_date: d.closeDate,
    },
    demoDealSchema,
  );

export const deleteDemoRecord = (db: Db, organizationId: string, object: "contact" | "deal", id: string) =>
  call(
    db,
    "demo_crm_delete",
    { p_organization_id: organizationId, p_object: object, p_id: id },
    z.object({ deleted: z.boolean() }),
  );

export type DemoSeedContact = {
  email: string;
  name: string;
  company: string;
  ownerName: string;
  lifecycle?: z.infer<typeof lifecycle>;
  deal?: { name: string; amountXof: number; stage?: z.infer<typeof stage>; closeDate?: string };
};

export const seedDemoCrm = (db: Db, organizationId: string, contacts: DemoSeedContact[]) =>
  call(
    db,
    "demo_crm_seed",
    { p_organization_id: organizationId, p_contacts: contacts },
    z.object({ seeded: z.number() }),
  );
