import { z } from "zod";

export const PRIORITIES = ["critical", "important", "informational", "spam"] as const;
export const prioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof prioritySchema>;

export const categorySchema = z.enum([
  "contract",
  "payment",
  "bank",
  "legal",
  "tax",
  "customs",
  "tender",
  "hr",
  "client",
  "supplier",
  "meeting",
  "internal",
  "newsletter",
  "promotion",
  "notification",
  "security",
  "auto_reply",
  "other",
]);
export type Category = z.infer<typeof categorySchema>;

export const actionKindSchema = z.enum(["reply", "call", "sign", "pay", "forward", "read", "ignore"]);
export type ActionKind = z.infer<typeof actionKindSchema>;

/** ISO 4217 codes we recognise; FCFA in West Africa is XOF (XAF is the Central African franc). */
export const currencySchema = z.enum(["XOF", "XAF", "EUR", "USD", "GBP", "NGN", "GHS", "GNF", "MAD", "CNY"]);
export type Currency = z.infer<typeof currencySchema>;

export const amountSchema = z.object({ value: z.number().nonnegative(), currency: currencySchema });
export type Amount = z.infer<typeof amountSchema>;

/** ISO 8601 with an explicit offset (or Z), so a deadline never depends on the reader's clock. */
export const isoWithOffsetSchema = z.iso.datetime({ offset: true, local: false });

/**
 * What the model fills. Kept free of keywords Gemini's JSON-schema subset ignores (string
 * lengths, patterns): lengths are enforced after parsing, deadlines are re-validated.
 */
export const modelOutputSchema = z.object({
  priority: prioritySchema,
  category: categorySchema,
  summary: z.string(),
  suggestedAction: z.object({ kind: actionKindSchema, phrase: z.string() }),
  deadline: z.string().nullable(),
  amounts: z.array(amountSchema),
  fraudWarning: z.string().nullable(),
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string()),
});
export type ModelOutput = z.infer<typeof modelOutputSchema>;

export const analyzerSchema = z.enum(["prefilter", "gemini", "fallback"]);
export type Analyzer = z.infer<typeof analyzerSchema>;

/** The analysis of one email, whichever analyzer decided. Stored; never contains the body. */
export const analysisSchema = z.object({
  priority: prioritySchema,
  category: categorySchema,
  summary: z.string().min(1).max(200),
  suggestedAction: z.object({ kind: actionKindSchema, phrase: z.string().min(1).max(120) }),
  deadline: isoWithOffsetSchema.nullable(),
  amounts: z.array(amountSchema).max(10),
  fraudWarning: z.string().max(300).nullable(),
  confidence: z.number().min(0).max(1),
  reasons: z.array(z.string().max(300)).max(12),
  analyzer: analyzerSchema,
});
export type Analysis = z.infer<typeof analysisSchema>;

function withoutDollarSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

/** JSON schema of the model output, sent as `responseJsonSchema` (`$schema` removed: Gemini rejects it). */
export const modelOutputJsonSchema = withoutDollarSchema(
  z.toJSONSchema(modelOutputSchema) as Record<string, unknown>,
);
