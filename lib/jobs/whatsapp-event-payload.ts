import { z } from "zod";

/** One parsed webhook event as stored in a `whatsapp.event` job (dates as ISO strings in JSON). */
export const statusPayloadSchema = z.object({
  kind: z.literal("status"),
  wamid: z.string().min(1),
  status: z.enum(["sent", "delivered", "read", "failed"]),
  at: z.coerce.date(),
  recipient: z.string().nullable(),
  alertId: z.string().nullable(),
  error: z
    .object({
      code: z.number().int(),
      title: z.string().nullable(),
      message: z.string().nullable(),
      details: z.string().nullable(),
    })
    .optional(),
  phoneNumberId: z.string().nullable(),
});

export const inboundPayloadSchema = z.object({
  kind: z.literal("inbound"),
  wamid: z.string().min(1),
  from: z.string().regex(/^\+\d{7,15}$/),
  at: z.coerce.date(),
  text: z.string().nullable(),
  buttonId: z.string().nullable(),
  contextWamid: z.string().nullable(),
  type: z.string(),
  phoneNumberId: z.string().nullable(),
});

export const whatsAppEventPayloadSchema = z.discriminatedUnion("kind", [
  statusPayloadSchema,
  inboundPayloadSchema,
]);
export type StatusPayload = z.infer<typeof statusPayloadSchema>;
export type InboundPayload = z.infer<typeof inboundPayloadSchema>;
