import { z } from "zod";
import { hubspotCall } from "@/lib/crm/hubspot/api";
import { type HubSpotConfig, hubspotOAuth } from "@/lib/crm/hubspot/oauth";
import {
  CONTACT_PROPERTIES,
  createdSchema,
  DEAL_PROPERTIES,
  objectPageSchema,
  ownersPageSchema,
  toContact,
  toOpenDeal,
  toOwner,
} from "@/lib/crm/hubspot/transform";
import { crmRecordUrl } from "@/lib/crm/record-url";
import { type CrmProvider, type CrmResult, ok } from "@/lib/crm/types";

/*
 * HubSpot through `fetch` (not @hubspot/api-client): eight endpoints, every answer parsed with zod
 * at the boundary, rate-limit headers read on each call, and msw fakes the network without a
 * client library's retry layer in the way (its built-in 429 retries would hide Retry-After from
 * our job, which must wait without holding a worker).
 */

// Default association types, HUBSPOT_DEFINED (HubSpot "Associations v4" reference, association
// type ids): note→contact 202, note→company 190, note→deal 214; task→contact 204, task→company
// 192, task→deal 216.
const NOTE_TO = { contact: 202, company: 190, deal: 214 } as const;
const TASK_TO = { contact: 204, company: 192, deal: 216 } as const;

function associations(
  types: Record<"contact" | "company" | "deal", number>,
  ids: { contactId: string; companyId: string | null; dealId: string | null },
) {
  const to = (id: string, typeId: number) => ({
    to: { id },
    types: [{ associationCategory: "HUBSPOT_DEFINED", associationTypeId: typeId }],
  });
  return [
    to(ids.contactId, types.contact),
    ...(ids.companyId ? [to(ids.companyId, types.company)] : []),
    ...(ids.dealId ? [to(ids.dealId, types.deal)] : []),
  ];
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
/** Notes and task bodies are rich text in HubSpot: our plain lines, escaped, one paragraph each. */
const richText = (title: string | null, body: string) =>
  [...(title ? [`<strong>${escapeHtml(title)}</strong>`] : []), ...body.split("\n").map(escapeHtml)]
    .map((line) => `<p>${line}</p>`)
    .join("");

const page = (cursor: string | null, extra: Record<string, string>) => {
  const q = new URLSearchParams({ limit: "100", ...extra });
  if (cursor) q.set("after", cursor);
  return q.toString();
};

export function createHubSpotProvider(config: HubSpotConfig): CrmProvider {
  /** A contact deleted (or archived) since the last sync: 404 on read, so nothing is written to it. */
  const contactExists = async (token: string, id: string): Promise<CrmResult<true>> => {
    const r = await hubspotCall(
      token,
      "GET",
      `/crm/v3/objects/contacts/${encodeURIComponent(id)}?properties=hubspot_owner_id`,
      z.object({ id: z.string() }),
    );
    return r.ok ? ok(true) : r;
  };
  return {
    kind: "hubspot",
    oauth: hubspotOAuth(config),
    async listOwners(access, cursor) {
      const r = await hubspotCall(
        access.tokens.accessToken,
        "GET",
        `/crm/v3/owners?${page(cursor, {})}`,
        ownersPageSchema,
      );
      if (!r.ok) return r;
      return ok({
        items: r.value.data.results.map(toOwner),
        next: r.value.data.paging?.next?.after ?? null,
        quota: r.value.quota,
      });
    },
    async listContacts(access, cursor) {
      const r = await hubspotCall(
        access.tokens.accessToken,
        "GET",
        `/crm/v3/objects/contacts?${page(cursor, { properties: CONTACT_PROPERTIES.join(","), archived: "false" })}`,
        objectPageSchema,
      );
      if (!r.ok) return r;
      return ok({
        items: r.value.data.results.map(toContact),
        next: r.value.data.paging?.next?.after ?? null,
        quota: r.value.quota,
      });
    },
    async listOpenDeals(access, cursor) {
      const r = await hubspotCall(
        access.tokens.accessToken,
        "GET",
        `/crm/v3/objects/deals?${page(cursor, {
          properties: DEAL_PROPERTIES.join(","),
          associations: "contacts,companies",
          archived: "false",
        })}`,
        objectPageSchema,
      );
      if (!r.ok) return r;
      const items = r.value.data.results.map(toOpenDeal).filter((d) => d !== null);
      return ok({ items, next: r.value.data.paging?.next?.after ?? null, quota: r.value.quota });
    },
    async logNote(access, note) {
      const exists = await contactExists(access.tokens.accessToken, note.contactId);
      if (!exists.ok) return exists;
      const r = await hubspotCall(access.tokens.accessToken, "POST", "/crm/v3/objects/notes", createdSchema, {
        properties: {
          hs_timestamp: note.at.toISOString(),
          hs_note_body: richText(note.title, note.body),
          ...(note.ownerId ? { hubspot_owner_id: note.ownerId } : {}),
        },
        associations: associations(NOTE_TO, note),
      });
      return r.ok ? ok({ id: r.value.data.id }) : r;
    },
    async createTask(access, task) {
      const exists = await contactExists(access.tokens.accessToken, task.contactId);
      if (!exists.ok) return exists;
      const r = await hubspotCall(access.tokens.accessToken, "POST", "/crm/v3/objects/tasks", createdSchema, {
        properties: {
          // A task's hs_timestamp is its due date.
          hs_timestamp: (task.dueAt ?? new Date()).toISOString(),
          hs_task_subject: task.subject,
          hs_task_body: richText(null, task.body),
          hs_task_status: "NOT_STARTED",
          hs_task_priority: task.priority === "high" ? "HIGH" : "MEDIUM",
          hs_task_type: "TODO",
          ...(task.ownerId ? { hubspot_owner_id: task.ownerId } : {}),
        },
        associations: associations(TASK_TO, task),
      });
      return r.ok ? ok({ id: r.value.data.id }) : r;
    },
    recordUrl: (webBase, object, id) => crmRecordUrl("hubspot", webBase, object, id),
  };
}
