import { crmRecordUrl } from "@/lib/crm/record-url";
import type { CrmProvider, CrmResult } from "@/lib/crm/types";
import { ok } from "@/lib/crm/types";
import { zohoCall } from "@/lib/crm/zoho/api";
import { type ZohoConfig, zohoOAuth } from "@/lib/crm/zoho/oauth";
import {
  CONTACT_FIELDS,
  contactsPageSchema,
  createdSchema,
  DEAL_FIELDS,
  dealsPageSchema,
  EMPTY_PAGE,
  toContact,
  toOpenDeal,
  toOwner,
  usersPageSchema,
} from "@/lib/crm/zoho/transform";

/*
 * Zoho CRM v8 through `fetch`, at the API domain of the grant's data centre. Each call costs one
 * API credit (Zoho "API limits": a 24-hour credit budget per organization by edition); a full
 * pass costs about (contacts + deals) / 200 + 1 credits, once an hour, and a logged email 2.
 * Record lists page with page_token (a `page` number stops at 2,000 records).
 */

const recordsQuery = (fields: string[], cursor: string | null) => {
  const q = new URLSearchParams({ fields: fields.join(","), per_page: "200" });
  if (cursor) q.set("page_token", cursor);
  return q.toString();
};

const created = (r: CrmResult<{ data: Array<{ details: { id: string } }> }>): CrmResult<{ id: string }> =>
  r.ok ? ok({ id: r.value.data[0]!.details.id }) : r;

export function createZohoProvider(config: ZohoConfig): CrmProvider {
  return {
    kind: "zoho",
    oauth: zohoOAuth(config),
    async listOwners(access, cursor) {
      const page = Number(cursor ?? "1");
      const r = await zohoCall(
        access.tokens,
        "GET",
        `/users?type=ActiveUsers&per_page=200&page=${page}`,
        usersPageSchema,
        {
          empty: { users: [], info: { more_records: false } },
        },
      );
      if (!r.ok) return r;
      return ok({
        items: r.value.users.map(toOwner),
        next: r.value.info.more_records ? String(page + 1) : null,
      });
    },
    async listContacts(access, cursor) {
      const r = await zohoCall(
        access.tokens,
        "GET",
        `/Contacts?${recordsQuery(CONTACT_FIELDS, cursor)}`,
        contactsPageSchema,
        { empty: EMPTY_PAGE },
      );
      if (!r.ok) return r;
      return ok({
        items: r.value.data.map(toContact),
        next: r.value.info.more_records ? (r.value.info.next_page_token ?? null) : null,
      });
    },
    async listOpenDeals(access, cursor) {
      const r = await zohoCall(
        access.tokens,
        "GET",
        `/Deals?${recordsQuery(DEAL_FIELDS, cursor)}`,
        dealsPageSchema,
        { empty: EMPTY_PAGE },
      );
      if (!r.ok) return r;
      const items = r.value.data.map(toOpenDeal).filter((d) => d !== null);
      return ok({ items, next: r.value.info.more_records ? (r.value.info.next_page_token ?? null) : null });
    },
    // A Zoho note has one parent: the contact. The task (below) links the contact and the deal.
    async logNote(access, note) {
      const r = await zohoCall(access.tokens, "POST", "/Notes", createdSchema, {
        body: {
          data: [
            {
              Note_Title: note.title,
              Note_Content: note.body,
              Parent_Id: { module: { api_name: "Contacts" }, id: note.contactId },
            },
          ],
        },
      });
      return created(r);
    },
    async createTask(access, task) {
      const r = await zohoCall(access.tokens, "POST", "/Tasks", createdSchema, {
        body: {
          data: [
            {
              Subject: task.subject,
              Description: task.body,
              Status: "Not Started",
              Priority: task.priority === "high" ? "High" : "Normal",
              ...(task.dueAt ? { Due_Date: task.dueAt.toISOString().slice(0, 10) } : {}),
              ...(task.ownerId ? { Owner: { id: task.ownerId } } : {}),
              Who_Id: { id: task.contactId },
              ...(task.dealId ? { What_Id: { id: task.dealId }, $se_module: "Deals" } : {}),
            },
          ],
        },
      });
      return created(r);
    },
    recordUrl: (webBase, object, id) => crmRecordUrl("zoho", webBase, object, id),
  };
}
