import { z } from "zod";
import { prioritySchema } from "@/lib/analysis/schema";
import { signalSummarySchema } from "@/lib/analysis/signal-summary";

/**
 * One line of an organization's corrections export (Settings › "Exporter mes corrections"): the
 * email's metadata and signals as stored, what the analysis said and what the user said it was —
 * never the body, which was never kept. `npm run eval -- --corrections FILE` measures on it.
 */
export const correctionLineSchema = z.object({
  id: z.string().min(1),
  from: z.string(),
  fromName: z.string().nullable(),
  subject: z.string(),
  date: z.string(),
  /** The triage headers that were kept (lower-case names): list headers, precedence, auto-submitted. */
  headers: z.record(z.string(), z.string()),
  signals: signalSummarySchema,
  predicted: prioritySchema,
  analyzer: z.string(),
  label: prioritySchema,
});
export type CorrectionLine = z.infer<typeof correctionLineSchema>;
