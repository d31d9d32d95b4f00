import { z } from "zod";
import { type LoggedEmail, noteFor, taskFor } from "@/lib/crm/log-content";
import type { CrmResult } from "@/lib/crm/types";
import { beginCrmLog, crmContactCard, finishCrmLog, getCrmLogContext } from "@/lib/db/crm";
import { env } from "@/lib/env";
import { throwForRetry, withCrm } from "@/lib/jobs/crm-access";
import { defineJob } from "@/lib/jobs/define";
import { organizationHasher } from "@/lib/jobs/relationship-hasher";
import { normalizeAddress } from "@/lib/relationships/hash";

const RECONNECT_WAIT_MS = 3_600_000;

/**
 * crm.log — after analysis, for an email at or above the organization's priority from a CRM
 * contact: a note on the contact (with its company and open deal) carrying the subject, sender,
 * date, OUR summary, priority and a link to the email's page — never the body — and a task for the
 * suggested action, due at the deadline, assigned to the contact's owner. Its own job with its own
 * retries, so a CRM outage never delays the WhatsApp alert. Idempotent per email: each write is
 * recorded before it is made and its CRM id after, so a retry writes only what is missing.
 */
export const crmLogJob = defineJob({
  kind: "crm.log",
  payload: z.object({ messageId: z.string(), connectionId: z.string() }),
  key: (p) => `crm-log:${p.messageId}:${p.connectionId}`,
  maxAttempts: 8,
  leaseSeconds: 60,
  run: async ({ messageId, connectionId }, { db, log, now }) => {
    const ctx = await getCrmLogContext(db, messageId, connectionId);
    if (ctx?.message.status !== "analyzed" || !ctx.message.priority || !ctx.message.fromAddress) return;
    const conn = ctx.connection;
    if (conn.status === "disconnected") return;
    const waitForReconnect = {
      deferUntil: new Date(now().getTime() + RECONNECT_WAIT_MS),
      note: "CRM needs reconnecting",
    };
    if (conn.status !== "active") return waitForReconnect;
    const hash = await organizationHasher(db, conn.organizationId);
    const card = await crmContactCard(
      db,
      conn.organizationId,
      hash("address", normalizeAddress(ctx.message.fromAddress)),
    );
    // The contact left the CRM since the analysis: nothing to log it on.
    if (!card || card.connectionId !== conn.id) {
      log.info("crm.log.no_contact", { messageId });
      return;
    }
    const m = ctx.message;
    const email: LoggedEmail = {
      messageId: m.id,
      subject: m.subject,
      fromName: m.fromName,
      fromAddress: m.fromAddress ?? "",
      receivedAt: m.receivedAt ?? now(),
      priority: m.priority ?? "important",
      summary: m.summary?.[ctx.locale] ?? null,
      suggestedAction: m.suggestedAction,
      suggestedActionPhrase: m.suggestedActionPhrase?.[ctx.locale] ?? null,
      deadline: m.deadline,
      url: new URL(`/dashboard/emails/${m.id}`, env.APP_URL).toString(),
    };
    const target = {
      contactId: card.contactId,
      companyId: card.companyId,
      dealId: card.deal?.id ?? null,
      ownerId: card.ownerId ?? card.deal?.ownerId ?? null,
    };
    const note = ctx.logged.note?.remoteId ? null : noteFor(email, target, ctx.locale, ctx.timezone);
    const task = ctx.logged.task?.remoteId ? null : taskFor(email, target, ctx.locale, ctx.timezone);

    const result = await withCrm<{ note: string | null; task: string | null }>(
      db,
      conn,
      log,
      async ({ provider, access }) => {
        const write = async (kind: "note" | "task", run: () => Promise<CrmResult<{ id: string }>>) => {
          await beginCrmLog(db, messageId, connectionId, kind);
          const r = await run();
          if (r.ok) await finishCrmLog(db, { messageId, connectionId, kind, remoteId: r.value.id });
          return r;
        };
        let noteId: string | null = null;
        if (note) {
          const r = await write("note", () => provider.logNote(access, note));
          if (!r.ok) return r;
          noteId = r.value.id;
        }
        let taskId: string | null = null;
        if (task) {
          const r = await write("task", () => provider.createTask(access, task));
          if (!r.ok) return r;
          taskId = r.value.id;
        }
        return { ok: true, value: { note: noteId, task: taskId } };
      },
      now,
    );
    if (result.ok) {
      log.info("crm.log.done", { messageId, provider: conn.provider, note: Boolean(result.value.note) });
      return;
    }
    if (result.error.kind === "reconnect") return waitForReconnect;
    if (result.error.kind === "not_found") {
      // Deleted in the CRM since the last sync: the next pass forgets it; nothing to retry.
      log.info("crm.log.contact_gone", { messageId, provider: conn.provider });
      return;
    }
    throwForRetry(result.error, conn.provider);
  },
});
