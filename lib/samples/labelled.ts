import type { LabelledMessage } from "@/lib/analysis/evaluate";
import { parseRawMessage } from "@/lib/mail/mime";
import { loadSamples, type Sample } from "@/lib/samples/samples";
import { sampleToEml } from "@/lib/samples/to-eml";

/** A sample as the pipeline sees it: serialised to RFC 822, then parsed like any sandbox mail. */
export async function sampleMessage(sample: Sample) {
  return parseRawMessage(sampleToEml(sample), { providerMessageId: sample.id, mailboxAddress: sample.to });
}

/** The whole labelled set, ready for `evaluate`. */
export async function labelledSamples(samples: Sample[] = loadSamples()): Promise<LabelledMessage[]> {
  return Promise.all(
    samples.map(async (s) => ({
      id: s.id,
      label: s.label,
      injection: s.injection ?? false,
      msg: await sampleMessage(s),
    })),
  );
}
