import { z } from "zod";
import { type Command, interpretInbound } from "@/lib/channels/whatsapp/commands";
import type { WebhookEvent } from "@/lib/channels/whatsapp/transform";
import { bsuidSchema } from "@/lib/channels/whatsapp/webhook-schema";
import { hashOptInCode } from "@/lib/security/keyed-hash";
import { keyRing } from "@/lib/security/keys";
import { seal } from "@/lib/security/vault";

/**
 * One webhook event as stored in a `whatsapp.event` job, holding only what processing needs:
 * ids, the sender's identifiers, the status and its error code, and for an inbound message the
 * command it carries — never the text a user typed in clear. An opt-in code is kept as its keyed
 * hash (lib/security/keyed-hash.ts), a button as the alert, rule or draft it names, other text
 * sealed with the token key ring (it may be a reply to send). Dates are ISO strings.
 * Once processed the payload is pruned (`pruneWhenDone`): nothing of the sender stays in `jobs`.
 */
const e164 = z.string().regex(/^\+\d{6,15}$/);
/** The database reduces the payload to a marker once the job is done (jobs_prune_done_payload, supabase/migrations/20261204100200_jobs.sql). */
const pruneWhenDone = z.literal(true).default(true);

export const statusPayloadSchema = z.object({
  kind: z.literal("status"),
  pruneWhenDone,
  wamid: z.string().min(1),
  status: z.enum(["sent", "delivered", "read", "failed"]),
  at: z.coerce.date(),
  recipient: e164.nullable(),
  recipientUserId: bsuidSchema.nullable().default(null),
  alertId: z.string().nullable(),
  error: z
    .object({
      code: z.number().int(),
      title: z.string().max(300).nullable(),
      message: z.string().max(300).nullable(),
      details: z.string().max(500).nullable(),
    })
    .optional(),
  phoneNumberId: z.string().nullable(),
});

const ref = z.string().min(1).max(250);

/** A Command (lib/channels/whatsapp/commands.ts) as stored: the opt-in code replaced by its keyed hash. */
export const storedCommandSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.enum(["done", "snooze", "mute", "reply", "reply_write"]), alertId: ref }),
  z.object({ kind: z.literal("reply_template"), alertId: ref, templateId: ref }),
  z.object({ kind: z.enum(["reply_send", "reply_cancel"]), draftId: ref }),
  /** Typed text that is no command, sealed (it may be a reply's text): opened only by the job. */
  z.object({ kind: z.literal("text"), sealed: z.string().min(1).max(20_000) }),
  z.object({ kind: z.literal("unmute"), ruleId: ref }),
  z.object({ kind: z.enum(["digest", "stop", "start", "help"]) }),
  z.object({ kind: z.literal("opt_in"), codeHash: z.string().regex(/^[0-9a-f]{64}$/) }),
]);
export type StoredCommand = z.infer<typeof storedCommandSchema>;

export const inboundPayloadSchema = z
  .object({
    kind: z.literal("inbound"),
    pruneWhenDone,
    wamid: z.string().min(1),
    from: e164.nullable(),
    fromUserId: bsuidSchema.nullable().default(null),
    at: z.coerce.date(),
    command: storedCommandSchema,
    contextWamid: z.string().nullable(),
    type: z.string().max(64),
    phoneNumberId: z.string().nullable(),
  })
  .refine((p) => p.from !== null || p.fromUserId !== null, "an inbound event names its sender");

export const whatsAppEventPayloadSchema = z.union([statusPayloadSchema, inboundPayloadSchema]);
export type StatusPayload = z.infer<typeof statusPayloadSchema>;
export type InboundPayload = z.infer<typeof inboundPayloadSchema>;

async function storedCommand(command: Command): Promise<z.input<typeof storedCommandSchema>> {
  if (command.kind === "opt_in") return { kind: "opt_in", codeHash: hashOptInCode(command.code) };
  // A reply's text waits sealed, like a token, until its job has turned it into a draft.
  if (command.kind === "text") return { kind: "text", sealed: await seal(keyRing(), command.text) };
  return command;
}

/** What a parsed webhook event becomes before it is persisted (see the schemas above). */
export async function toEventPayload(
  event: WebhookEvent,
): Promise<z.input<typeof whatsAppEventPayloadSchema>> {
  if (event.kind === "status") return event;
  const { text: _typed, buttonId: _button, ...rest } = event;
  return { ...rest, command: await storedCommand(interpretInbound(event)) };
}
