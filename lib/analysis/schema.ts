import { z } from "zod";
import { suggestedActionEnum } from "@/lib/domain/vocabulary";

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

export const actionKindSchema = suggestedActionEnum;
export type ActionKind = z.infer<typeof actionKindSchema>;

/** ISO 4217 codes we recognise; FCFA in West Africa is XOF (XAF is the Central African franc). */
export const currencySchema = z.enum(["XOF", "XAF", "EUR", "USD", "GBP", "NGN", "GHS", "GNF", "MAD", "CNY"]);
export type Currency = z.infer<typeof currencySchema>;

export const amountSchema = z.object({ value: z.number().nonnegative(), currency: currencySchema });
export type Amount = z.infer<typeof amountSchema>;

/** ISO 8601 with an explicit offset (or Z), so a deadline never depends on the reader's clock. */
export const isoWithOffsetSchema = z.iso.datetime({ offset: true, local: false });

/** Text written in both languages a recipient may read (model output, summaries). */
export const localizedSchema = z.object({ fr: z.string(), en: z.string() });
export type Localized = z.infer<typeof localizedSchema>;

/**
 * A parameter of a catalogue text, rendered in the reader's language and time zone: plain text
 * (a name, a header), a number, another analysis-catalogue key or a list of them, an amount, an
 * instant, or text already written in both languages.
 */
export const textParamSchema = z.union([
  z.string(),
  z.number(),
  z.object({ key: z.string() }),
  z.object({ keys: z.array(z.string()) }),
  z.object({ amount: amountSchema }),
  z.object({ date: z.string() }),
  localizedSchema,
]);
export type TextParam = z.infer<typeof textParamSchema>;

/**
 * A sentence of the analysis catalogue (`reason.amount`, `fraud.payee_change`…) with its
 * parameters: stored language-neutral, rendered for each reader (lib/analysis/present.ts).
 */
export const textRefSchema = z.object({
  key: z.string().max(80),
  params: z.record(z.string(), textParamSchema).optional(),
});
export type TextRef = z.infer<typeof textRefSchema>;

/** The model's text in both languages: one `$defs` entry the schema refers to, to keep it short. */
const modelTextSchema = z.object({ fr: z.string(), en: z.string() }).meta({ id: "t" });

/**
 * What the model fills. Kept free of keywords Gemini's JSON-schema subset ignores (string
 * lengths, patterns): lengths are enforced after parsing, deadlines are re-validated.
 */
export const modelOutputSchema = z.object({
  priority: prioritySchema,
  category: categorySchema,
  summary: modelTextSchema,
  suggestedAction: z.object({ kind: actionKindSchema, phrase: modelTextSchema }),
  deadline: z.string().nullable(),
  amounts: z.array(amountSchema),
  fraudWarning: modelTextSchema.nullable(),
  confidence: z.number().min(0).max(1),
  reasons: z.array(modelTextSchema),
});
export type ModelOutput = z.infer<typeof modelOutputSchema>;

export const analyzerSchema = z.enum(["prefilter", "gemini", "fallback"]);

const boundedText = (max: number) =>
  z.object({ fr: z.string().min(1).max(max), en: z.string().min(1).max(max) });

/**
 * The analysis of one email, whichever analyzer decided. Stored; never contains the body.
 * Language-neutral facts (priority, category, action kind, deadline, amounts, fraud warning and
 * reasons as catalogue keys) plus what cannot be a key — the summary and the action phrase — in
 * both languages, so every recipient reads it in theirs.
 */
export const analysisSchema = z.object({
  priority: prioritySchema,
  category: categorySchema,
  summary: boundedText(200),
  suggestedAction: z.object({ kind: actionKindSchema, phrase: boundedText(120) }),
  deadline: isoWithOffsetSchema.nullable(),
  amounts: z.array(amountSchema).max(10),
  fraudWarning: textRefSchema.nullable(),
  confidence: z.number().min(0).max(1),
  reasons: z.array(textRefSchema).max(12),
  analyzer: analyzerSchema,
});
export type Analysis = z.infer<typeof analysisSchema>;

function withoutDollarSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

/**
 * JSON schema of the model output, sent as `responseJsonSchema` (`$schema` removed: Gemini rejects
 * it). The bilingual texts share one `$defs` entry, and `additionalProperties: false` is left out:
 * the reply is parsed with zod, which drops unknown keys, so the keyword bought nothing and cost
 * about 35 input tokens a call.
 */
export const modelOutputJsonSchema = withoutDollarSchema(
  z.toJSONSchema(modelOutputSchema, {
    override: ({ jsonSchema }) => {
      if (jsonSchema.additionalProperties === false) delete jsonSchema.additionalProperties;
    },
  }) as Record<string, unknown>,
);
