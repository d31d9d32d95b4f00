import { z } from "zod";
import { attachmentLimitsSchema } from "@/lib/attachments/limits";
import { attachmentFormatSchema, unreadableReasonSchema } from "@/lib/attachments/schema";

/** Main thread → extraction worker: one attachment to read. The bytes are transferred, not copied. */
export const extractRequestSchema = z.object({
  id: z.number().int(),
  bytes: z.instanceof(Uint8Array),
  format: attachmentFormatSchema,
  limits: attachmentLimitsSchema,
});
export type ExtractRequest = z.infer<typeof extractRequestSchema>;

/** Extraction worker → main thread. */
export const extractResponseSchema = z.object({
  id: z.number().int(),
  outcome: z.discriminatedUnion("ok", [
    z.object({
      ok: z.literal(true),
      format: attachmentFormatSchema,
      method: z.enum(["text", "ocr"]),
      text: z.string(),
      pages: z.number().int().nonnegative(),
      truncated: z.boolean(),
    }),
    z.object({
      ok: z.literal(false),
      format: attachmentFormatSchema.nullable(),
      reason: unreadableReasonSchema,
    }),
  ]),
});
export type ExtractResponse = z.infer<typeof extractResponseSchema>;
