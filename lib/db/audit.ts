import { z } from "zod";
import { call, type Db, isoDate } from "@/lib/db/port";

/** Appends to the audit log (append-only: the app role cannot update or delete it). */
export function audit(
  db: Db,
  p: {
    organizationId: string | null;
    actor: string;
    action: string;
    target?: string | null;
    details?: Record<string, unknown>;
  },
) {
  return call(
    db,
    "audit_append",
    {
      p_organization_id: p.organizationId,
      p_actor: p.actor,
      p_action: p.action,
      p_target: p.target ?? null,
      p_details: p.details ?? {},
    },
    z.object({ id: z.number() }).passthrough(),
  );
}

export const auditEntrySchema = z.object({
  id: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: isoDate,
});

export function listAudit(db: Db, organizationId: string, p: { limit?: number; beforeId?: number } = {}) {
  return call(
    db,
    "audit_list",
    { p_organization_id: organizationId, p_limit: p.limit ?? 100, p_before_id: p.beforeId ?? null },
    z.array(auditEntrySchema),
  );
}

const readableEntrySchema = auditEntrySchema.extend({
  actorName: z.string().nullable(),
  recipientName: z.string().nullable(),
  subject: z.string().nullable(),
  sender: z.string().nullable(),
  mailbox: z.string().nullable(),
});
export type ReadableAuditEntry = z.infer<typeof readableEntrySchema>;

/** The log with the names its sentences need, filtered by kind (the action's first part) and actor. */
export function listReadableAudit(
  db: Db,
  organizationId: string,
  p: { limit: number; beforeId?: number; kind?: string | null; actor?: string | null },
) {
  return call(
    db,
    "audit_list_readable",
    {
      p_organization_id: organizationId,
      p_limit: p.limit,
      p_before_id: p.beforeId ?? null,
      p_kind: p.kind ?? null,
      p_actor: p.actor ?? null,
    },
    z.array(readableEntrySchema),
  );
}

/** Each actor of the organization's log, with a name where one is known (the "person" filter). */
export const listAuditActors = (db: Db, organizationId: string) =>
  call(
    db,
    "audit_actors",
    { p_organization_id: organizationId },
    z.array(z.object({ actor: z.string(), name: z.string().nullable() })),
  );
