import { TZDate } from "@date-fns/tz";
import { format } from "date-fns";
import { fr } from "date-fns/locale";
import { getCrmConnection } from "@/lib/db/crm";
import type { PGliteDb } from "@/lib/db/pglite";
import { drainJobs } from "@/lib/jobs/drain";
import { jobRegistry } from "@/lib/jobs/registry";
import { domainOf } from "@/lib/mail/address-domain";
import { addressList } from "@/lib/mail/address-list";
import type { GoogleFake } from "@/lib/testing/google-fake";

/*
 * Shared steps of the CRM suites (tests/crm-*.test.ts): the same manager's Gmail mailbox, the same
 * contract email from a client, the CRM jobs drained explicitly, a sync pass run to its end.
 */

/** The manager whose mailbox the CRM suites connect. */
export const CRM_MAILBOX = "direction@sahel-negoce.ci";

/** A word of the email's body that must never leave for a CRM (only our summary and metadata may). */
export const BODY_MARKER = "clause-de-revision-7b";

export function drainCrm(db: PGliteDb) {
  return drainJobs(db, jobRegistry(), { kinds: ["crm.sync", "crm.log"], budgetMs: 15_000 });
}

/** Makes the CRM jobs that deferred themselves (between pages, after a rate limit) due now. */
export async function runCrmJobsNow(db: PGliteDb): Promise<void> {
  await db.pg.query("update jobs set run_at = now() where status = 'pending' and kind like 'crm.%'");
}

/** Drains the sync (its runs defer themselves between pages) until the pass is over. */
export async function syncPass(db: PGliteDb, connectionId: string): Promise<void> {
  for (let i = 0; i < 10; i++) {
    await drainCrm(db);
    if ((await getCrmConnection(db, connectionId))?.syncState === "current") return;
    await runCrmJobsNow(db);
  }
  const { rows } = await db.pg.query("select status, last_error, attempts from jobs where kind = 'crm.sync'");
  throw new Error(
    `the sync pass did not end: ${JSON.stringify(await getCrmConnection(db, connectionId))} ${JSON.stringify(rows)}`,
  );
}

/**
 * A client asking for the signed amendment before a date four days ahead, 17 h, as the receiving
 * server verified it (DMARC pass for the From domain): critical from a key client.
 */
export function contractEmail(google: GoogleFake, from: string) {
  const due = format(new TZDate(Date.now() + 4 * 86_400_000, "UTC"), "d MMMM", { locale: fr });
  return google.mailbox(CRM_MAILBOX).addMessage({
    from,
    subject: "Avenant au contrat",
    text: `Bonjour,\n\nPouvez-vous nous renvoyer l'avenant signé avant le ${due} à 17h ? La ${BODY_MARKER} a été ajoutée à la page 3.\n\nCordialement`,
    headers: {
      "Authentication-Results": `mx.google.com; dmarc=pass header.from=${domainOf(addressList(from)[0] ?? "")}`,
    },
  });
}
