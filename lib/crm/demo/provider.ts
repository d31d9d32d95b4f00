import { crmRecordUrl } from "@/lib/crm/record-url";
import {
  type CrmAccess,
  type CrmContact,
  type CrmDeal,
  type CrmOwner,
  type CrmProvider,
  type CrmResult,
  failed,
  type Lifecycle,
  ok,
} from "@/lib/crm/types";

/*
 * The "CRM de démonstration" of local mode: a few contacts and deals the user edits in the app,
 * kept in our own tables and reached through the same interface as HubSpot and Zoho, so the
 * key-client signal and the logging can be seen without any account. The store is handed in by
 * the composition root (lib/config/crm-providers.ts); this file never touches the database itself.
 */

export type DemoContactRow = {
  id: string;
  email: string;
  name: string;
  company: string | null;
  ownerName: string | null;
  lifecycle: Lifecycle;
};
export type DemoDealRow = {
  id: string;
  contactId: string;
  name: string;
  amountXof: number;
  stage: "qualification" | "proposal" | "negotiation" | "won" | "lost";
  closeDate: string | null;
};

export type DemoActivity = {
  key: string;
  kind: "note" | "task";
  contactId: string;
  dealId: string | null;
  subject: string;
  body: string;
  dueAt: Date | null;
  ownerName: string | null;
};

export type DemoStore = {
  contacts(organizationId: string, after: string | null, limit: number): Promise<DemoContactRow[]>;
  deals(organizationId: string, after: string | null, limit: number): Promise<DemoDealRow[]>;
  addActivity(
    organizationId: string,
    activity: DemoActivity,
  ): Promise<{ id: string | null; notFound: boolean }>;
};

const PAGE = 50;
const companyId = (name: string) => `company:${name.trim().toLowerCase()}`;

export function demoCrm(store: DemoStore): CrmProvider {
  const page = async <R extends { id: string }, T>(
    rows: Promise<R[]>,
    map: (row: R) => T | null,
  ): Promise<CrmResult<{ items: T[]; next: string | null }>> => {
    const list = await rows;
    const items = list.map(map).filter((x): x is T => x !== null);
    return ok({ items, next: list.length === PAGE ? (list.at(-1)?.id ?? null) : null });
  };
  return {
    kind: "demo",
    oauth: null,
    // Owners are the names written on contacts: their name is their id.
    async listOwners(access: CrmAccess, cursor) {
      const owners = new Map<string, CrmOwner>();
      let after = cursor;
      for (;;) {
        const rows = await store.contacts(access.accountId, after, PAGE);
        for (const r of rows)
          if (r.ownerName) owners.set(r.ownerName, { remoteId: r.ownerName, name: r.ownerName });
        if (rows.length < PAGE) break;
        after = rows.at(-1)?.id ?? null;
      }
      return ok({ items: [...owners.values()], next: null });
    },
    listContacts: (access, cursor) =>
      page(
        store.contacts(access.accountId, cursor, PAGE),
        (r): CrmContact => ({
          remoteId: r.id,
          emails: [r.email],
          ownerId: r.ownerName,
          lifecycle: r.lifecycle,
          companyId: r.company ? companyId(r.company) : null,
          companyName: r.company,
        }),
      ),
    listOpenDeals: (access, cursor) =>
      page(store.deals(access.accountId, cursor, PAGE), (r): CrmDeal | null =>
        r.stage === "won" || r.stage === "lost"
          ? null
          : {
              remoteId: r.id,
              name: r.name,
              amount: r.amountXof,
              currency: "XOF",
              stage: r.stage,
              closeDate: r.closeDate,
              ownerId: null,
              companyId: null,
              contactIds: [r.contactId],
            },
      ),
    async logNote(access, note) {
      const done = await store.addActivity(access.accountId, {
        key: note.key,
        kind: "note",
        contactId: note.contactId,
        dealId: note.dealId,
        subject: note.title,
        body: note.body,
        dueAt: null,
        ownerName: note.ownerId,
      });
      return done.id ? ok({ id: done.id }) : failed({ kind: "not_found" });
    },
    async createTask(access, task) {
      const done = await store.addActivity(access.accountId, {
        key: task.key,
        kind: "task",
        contactId: task.contactId,
        dealId: task.dealId,
        subject: task.subject,
        body: task.body,
        dueAt: task.dueAt,
        ownerName: task.ownerId,
      });
      return done.id ? ok({ id: done.id }) : failed({ kind: "not_found" });
    },
    recordUrl: (webBase, object, id) => crmRecordUrl("demo", webBase, object, id),
  };
}
