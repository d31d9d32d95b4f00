import { z } from "zod";
import { largestInXof } from "@/lib/analysis/extract-amounts";
import { type Currency, currencySchema } from "@/lib/analysis/schema";
import type { CrmContact, CrmDeal, CrmPage, CrmResult } from "@/lib/crm/types";
import {
  beginSyncPass,
  finishSyncPass,
  getCrmConnection,
  recordSyncError,
  type SyncContact,
  type SyncCursor,
  type SyncDeal,
  saveSyncPage,
} from "@/lib/db/crm";
import { throwForRetry, withCrm } from "@/lib/jobs/crm-access";
import { defineJob } from "@/lib/jobs/define";
import { organizationHasher } from "@/lib/jobs/relationship-hasher";
import { domainOf, isFreeMail, organizationalDomain } from "@/lib/mail/address-domain";
import { type Hasher, normalizeAddress } from "@/lib/relationships/hash";

/** A full pass (owners, contacts, open deals) starts this long after the previous one ended. */
export const SYNC_INTERVAL_MS = 60 * 60_000;
/** Pages read per run before yielding the worker (a page is 100 HubSpot / 200 Zoho records). */
const PAGES_PER_RUN = 5;
/** Requests left in the vendor's window below which the sync pauses, leaving room for crm.log. */
const QUOTA_RESERVE = 20;

const PHASES: SyncCursor["phase"][] = ["owners", "contacts", "deals"];

/** Hashes of a contact's addresses and company domains (free mail names no company). */
export function contactKeys(emails: string[], hash: Hasher): SyncContact["keys"] {
  const keys = new Map<string, SyncContact["keys"][number]>();
  for (const raw of emails) {
    const address = normalizeAddress(raw);
    if (!address.includes("@")) continue;
    const a = hash("address", address);
    keys.set(`a:${a}`, { kind: "address", hash: a });
    const domain = domainOf(address);
    if (domain && !isFreeMail(domain)) {
      const d = hash("domain", organizationalDomain(domain));
      keys.set(`d:${d}`, { kind: "domain", hash: d });
    }
  }
  return [...keys.values()];
}

/** The deal's amount in XOF (the threshold's currency); null for a currency we have no rate for. */
export function amountInXof(amount: number | null, currency: string | null): number | null {
  if (amount === null || !Number.isFinite(amount) || amount < 0) return null;
  const c = currencySchema.safeParse(currency ?? "XOF");
  return c.success ? Math.round(largestInXof([{ value: amount, currency: c.data as Currency }])) : null;
}

const syncContact = (c: CrmContact, hash: Hasher): SyncContact => ({
  remoteId: c.remoteId,
  ownerId: c.ownerId,
  lifecycle: c.lifecycle,
  companyId: c.companyId,
  companyName: c.companyName,
  keys: contactKeys(c.emails, hash),
});

const syncDeal = (d: CrmDeal): SyncDeal => ({ ...d, amountXof: amountInXof(d.amount, d.currency) });

/**
 * crm.sync — reads the connected CRM's owners, contacts and open deals into the organization's
 * store (hashes of addresses and domains, a few display names), one job per connection. Each run
 * reads a bounded number of pages and saves the cursor after each, so a large CRM never holds a
 * worker and a run that dies resumes where the last saved page ended; a page that would spend the
 * vendor's last requests in its window waits for the next window; 429 waits for Retry-After. When
 * a pass ends, what the CRM no longer has (deleted contacts, closed deals) is forgotten and the
 * next pass is scheduled an hour later (the job defers itself, without spending an attempt).
 */
export const crmSyncJob = defineJob({
  kind: "crm.sync",
  payload: z.object({ connectionId: z.string() }),
  key: (p) => `crm-sync:${p.connectionId}`,
  maxAttempts: 10,
  repeatable: true,
  leaseSeconds: 60,
  run: async ({ connectionId }, { db, log, now }) => {
    let conn = await getCrmConnection(db, connectionId);
    if (conn?.status !== "active") return;
    let cursor = conn.syncCursor ?? (await beginSyncPass(db, connectionId));
    if (!cursor) return;
    const hash = await organizationHasher(db, conn.organizationId);
    const later = (ms: number, note: string) => ({ deferUntil: new Date(now().getTime() + ms), note });

    let finished = false;
    for (let step = 0; step < PAGES_PER_RUN; step++) {
      const at: SyncCursor = cursor;
      const result = await withCrm<CrmPage<unknown>>(
        db,
        conn,
        log,
        async ({ provider, access }) => {
          const page: CrmResult<CrmPage<unknown>> =
            at.phase === "owners"
              ? await provider.listOwners(access, at.after)
              : at.phase === "contacts"
                ? await provider.listContacts(access, at.after)
                : await provider.listOpenDeals(access, at.after);
          if (!page.ok) return page;
          const nextPhase = PHASES[PHASES.indexOf(at.phase) + 1];
          const next: SyncCursor = page.value.next
            ? { ...at, after: page.value.next }
            : { phase: nextPhase ?? "deals", after: null, generation: at.generation };
          await saveSyncPage(db, {
            connectionId,
            generation: at.generation,
            cursor: next,
            ...(at.phase === "owners"
              ? { owners: page.value.items as { remoteId: string; name: string }[] }
              : at.phase === "contacts"
                ? { contacts: (page.value.items as CrmContact[]).map((c) => syncContact(c, hash)) }
                : { deals: (page.value.items as CrmDeal[]).map(syncDeal) }),
          });
          cursor = next;
          finished = !page.value.next && !nextPhase;
          return page;
        },
        now,
      );
      if (!result.ok) {
        if (result.error.kind === "reconnect") return;
        await recordSyncError(db, connectionId, `${conn.provider}: ${result.error.kind}`);
        throwForRetry(result.error, conn.provider);
      }
      if (finished) {
        const done = await finishSyncPass(db, connectionId, cursor.generation);
        log.info("crm.sync.done", { connectionId, contacts: done.contacts, deals: done.deals });
        return later(SYNC_INTERVAL_MS, "next CRM pass");
      }
      const quota = result.value.quota;
      if (quota && quota.remaining < QUOTA_RESERVE)
        return later(Math.max(1_000, quota.windowMs), "CRM rate window nearly spent");
      // The connection may have been refreshed (tokens) by this step: read it again for the next.
      conn = (await getCrmConnection(db, connectionId)) ?? conn;
    }
    return later(1_000, "syncing the CRM");
  },
});
