import { z } from "zod";
import { call, type Db, isoDate } from "@/lib/db/port";
import { recipientSchema } from "@/lib/db/schemas";

/**
 * The two kinds of opt-in code (supabase/migrations/20261204100400_recipients_channels_opt_in.sql):
 * `inbound` is shown in the app and accepted only from the recipient's own WhatsApp number;
 * `template` is sent to that number and accepted only typed in the app.
 */
export type OptInCodeKind = "inbound" | "template";

export const issueOptInCode = (
  db: Db,
  p: { organizationId: string; recipientId: string; kind: OptInCodeKind; codeHash: string; expiresAt: Date },
) =>
  call(
    db,
    "opt_in_code_issue",
    {
      p_organization_id: p.organizationId,
      p_recipient_id: p.recipientId,
      p_kind: p.kind,
      p_code_hash: p.codeHash,
      p_expires_at: p.expiresAt,
    },
    z.object({ id: z.string(), kind: z.enum(["inbound", "template"]), expiresAt: isoDate }),
  );

const verifiedSchema = z.discriminatedUnion("verified", [
  z.object({ verified: z.literal(true), recipient: recipientSchema }),
  z.object({
    verified: z.literal(false),
    /** `wrong`: not the code; `locked`: too many wrong tries ended it; `none`: no live code. */
    reason: z.enum(["wrong", "locked", "none"]).optional(),
    attemptsLeft: z.number().int().optional(),
  }),
]);

/** A code typed in the app: only the recipient's live template code, in that organization. */
export const verifyTypedOptInCode = (
  db: Db,
  p: { organizationId: string; recipientId: string; codeHash: string },
) =>
  call(
    db,
    "opt_in_code_verify_typed",
    { p_organization_id: p.organizationId, p_recipient_id: p.recipientId, p_code_hash: p.codeHash },
    verifiedSchema,
  );

/** A code in a WhatsApp message: only a live inbound code of a recipient with the sender's number. */
export const verifyInboundOptInCode = (db: Db, p: { phone: string; codeHash: string }) =>
  call(db, "opt_in_code_verify_inbound", { p_phone: p.phone, p_code_hash: p.codeHash }, verifiedSchema);
