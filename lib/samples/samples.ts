import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { actionKindSchema, prioritySchema } from "@/lib/analysis/schema";

/**
 * One labelled email of the project's own sample set (emails.jsonl): written for this product's
 * market, French and English, every priority, with the tricky cases the analysis must survive.
 */
export const sampleSchema = z.object({
  id: z.string().min(1),
  from: z.email(),
  fromName: z.string(),
  to: z.email(),
  subject: z.string(),
  date: z.iso.datetime({ offset: true }),
  /** Extra RFC 822 headers (List-Unsubscribe, Precedence, Auto-Submitted, Reply-To…). */
  headers: z.record(z.string(), z.string()),
  /** Plain body; empty for HTML-only mail. */
  text: z.string(),
  html: z.string().optional(),
  label: prioritySchema,
  action: actionKindSchema,
  note: z.string(),
  /** True when the email's only "urgency" is an instruction aimed at an AI. */
  injection: z.boolean().optional(),
});
export type Sample = z.infer<typeof sampleSchema>;

// Not `new URL("./emails.jsonl", import.meta.url)`: Next's bundler turns that form into an asset
// reference, which readFileSync cannot open (the web app's "load the sample emails" button).
export const SAMPLES_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), "emails.jsonl");

export function loadSamples(file = SAMPLES_PATH): Sample[] {
  return readFileSync(/* turbopackIgnore: true */ file, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line, i) => {
      const parsed = sampleSchema.safeParse(JSON.parse(line));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
      return parsed.data;
    });
}
