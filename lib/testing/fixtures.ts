import type { PGliteDb } from "@/lib/db/pglite";

/**
 * Direct inserts for tests that need an organization or mailbox before the functions that create
 * them are under test. Goes through SQL, never through a vendor.
 */
export async function insertOrgAndMailbox(
  db: PGliteDb,
  opts: { provider?: "gmail" | "outlook" | "sandbox"; address?: string } = {},
): Promise<{ organizationId: string; mailboxId: string }> {
  const org = await db.pg.query<{ id: string }>(
    "insert into organizations (name) values ('Test SARL') returning id",
  );
  const organizationId = org.rows[0]!.id;
  const mb = await db.pg.query<{ id: string }>(
    "insert into mailboxes (organization_id, provider, address) values ($1, $2, $3) returning id",
    [
      organizationId,
      opts.provider ?? "gmail",
      opts.address ?? `boss-${organizationId.slice(0, 6)}@example.ci`,
    ],
  );
  return { organizationId, mailboxId: mb.rows[0]!.id };
}
