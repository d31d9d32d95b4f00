import { crmProviderFor, DEMO_CRM_WEB_BASE } from "@/lib/config/crm-providers";
import type { CrmGrant, CrmProviderKind } from "@/lib/crm/types";
import { connectCrm, disconnectCrm, getCrmConnection, getCrmStatus } from "@/lib/db/crm";
import { type DemoSeedContact, seedDemoCrm } from "@/lib/db/crm-demo";
import type { Db } from "@/lib/db/port";
import { AppError } from "@/lib/errors/app-error";
import { sealCrmTokens, withCrm } from "@/lib/jobs/crm-access";
import { crmSyncJob } from "@/lib/jobs/crm-sync";
import { jobSpec } from "@/lib/jobs/define";
import { enqueueJob } from "@/lib/jobs/queue";
import type { Logger } from "@/lib/log";

/**
 * The demo CRM starts with a client of the compose form's example bank (a key client: an open deal
 * above the default threshold) and a smaller one, so local mode shows both on the first email.
 */
export const DEMO_CRM_SEED: DemoSeedContact[] = [
  {
    email: "f.yao@banque-atlantique.ci",
    name: "Fatou Yao",
    company: "Banque Atlantique",
    ownerName: "Awa Koné",
    deal: { name: "Contrat 2027", amountXof: 15_000_000, stage: "negotiation" },
  },
  {
    email: "m.diallo@transit-lagune.ci",
    name: "Moussa Diallo",
    company: "Transit Lagune",
    ownerName: "Awa Koné",
    deal: { name: "Transport T1", amountXof: 2_500_000, stage: "proposal" },
  },
  { email: "info@cabinet-ndiaye.sn", name: "Cabinet Ndiaye", company: "Cabinet Ndiaye", ownerName: "Koffi" },
];

/** Queues the connection's sync (a new pass, or the current one resumed). */
export const queueCrmSync = (db: Db, connectionId: string) =>
  enqueueJob(db, jobSpec(crmSyncJob, { connectionId }, { reopen: true }));

/** Connects the demo CRM (local mode): no account, seeded with a few records the first time. */
export async function connectDemoCrm(db: Db, user: { organizationId: string; userId: string }) {
  await seedDemoCrm(db, user.organizationId, DEMO_CRM_SEED);
  const conn = await connectCrm(db, {
    organizationId: user.organizationId,
    provider: "demo",
    accountId: user.organizationId,
    accountLabel: null,
    webBase: DEMO_CRM_WEB_BASE,
    ciphertext: null,
    expiresAt: null,
    actorUserId: user.userId,
  });
  await queueCrmSync(db, conn.id);
  return conn;
}

/** Stores a grant from an OAuth callback (tokens sealed in the vault) and queues the first sync. */
export async function connectOAuthCrm(
  db: Db,
  user: { organizationId: string; userId: string },
  kind: Exclude<CrmProviderKind, "demo">,
  grant: CrmGrant,
) {
  const conn = await connectCrm(db, {
    organizationId: user.organizationId,
    provider: kind,
    accountId: grant.account.id,
    accountLabel: grant.account.label,
    webBase: grant.account.webBase,
    ciphertext: await sealCrmTokens(grant.tokens),
    expiresAt: new Date(grant.tokens.expiresAt),
    actorUserId: user.userId,
  });
  await queueCrmSync(db, conn.id);
  return conn;
}

/**
 * Disconnects the organization's CRM: the grant is revoked at the vendor (best effort: a vendor
 * that is down must not keep the user connected), then everything read from it is forgotten.
 */
export async function disconnectOrganizationCrm(db: Db, organizationId: string, actor: string, log: Logger) {
  const status = await getCrmStatus(db, organizationId);
  if (!status.connection) throw new AppError("not_found", "No CRM is connected.");
  const conn = await getCrmConnection(db, status.connection.id);
  if (conn && conn.provider !== "demo" && conn.tokens) {
    const provider = crmProviderFor(conn.provider, db);
    const revoked = await withCrm(db, conn, log, async ({ access }) =>
      provider.oauth ? provider.oauth.revoke(access.tokens) : { ok: true as const, value: undefined },
    ).catch((error: unknown) => ({ ok: false as const, error }));
    if (!revoked.ok) log.warn("crm.revoke_failed", { connectionId: conn.id, provider: conn.provider });
  }
  return disconnectCrm(db, organizationId, status.connection.id, actor);
}
