import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AnalysisContext } from "@/lib/analysis/context";
import type { LabelledMessage } from "@/lib/analysis/evaluate";
import { parseRawMessage } from "@/lib/mail/mime";
import { queryFor } from "@/lib/relationships/lookup";
import {
  profileStore,
  type RelationshipProfile,
  relationshipProfileSchema,
} from "@/lib/relationships/profile";
import { labelledSamples } from "@/lib/samples/labelled";
import {
  DEFAULT_SET,
  loadSetProfile,
  loadSetSplit,
  type SetSplit,
  SPLITS,
} from "@/lib/samples/sets/load-set";
import { setEmailToEml } from "@/lib/samples/sets/set-email-to-eml";

/*
 * The labelled sets `npm run eval` measures, each with the relationship profile of its mailbox
 * owner. A split is either tuned on (`dev`, the older `regression` set) or never looked at while
 * writing rules or prompts (`holdout`).
 */

export type EvalSplit = "dev" | "holdout" | "regression";

export type EvalSet = {
  name: string;
  split: EvalSplit;
  items: LabelledMessage[];
  context: (item: LabelledMessage) => AnalysisContext;
};

const here = path.dirname(fileURLToPath(import.meta.url));

export function readProfileFile(file: string): RelationshipProfile {
  return relationshipProfileSchema.parse(JSON.parse(readFileSync(/* turbopackIgnore: true */ file, "utf8")));
}

/** Analysis context of a profile's owner: French, Abidjan, no sender rules, the profile's store. */
export function profileContext(profile: RelationshipProfile): EvalSet["context"] {
  const { store, hash } = profileStore(profile);
  return (item) => ({
    locale: "fr",
    timeZone: "Africa/Abidjan",
    senderRules: [],
    mailboxAddress: profile.mailbox,
    relationship: store.lookup(queryFor(item.msg, hash)),
  });
}

/** The project's first sample set (66 emails, tuned on by earlier work): a regression check. */
export async function regressionSet(): Promise<EvalSet> {
  const profile = readProfileFile(path.join(here, "profile.json"));
  return {
    name: "samples",
    split: "regression",
    items: await labelledSamples(),
    context: profileContext(profile),
  };
}

/** One split of a labelled set (lib/samples/sets/<name>), parsed as the sandbox parses mail. */
export async function labelledSplit(split: SetSplit, set = DEFAULT_SET): Promise<LabelledMessage[]> {
  const emails = loadSetSplit(split, set);
  return Promise.all(
    emails.map(async (e) => ({
      id: e.id,
      label: e.label,
      injection: e.injection ?? false,
      msg: await parseRawMessage(setEmailToEml(e), { providerMessageId: e.id }),
    })),
  );
}

/** Every labelled set of the project: the inbox-2026 dev and holdout splits, then the regression set. */
export async function evalSets(): Promise<EvalSet[]> {
  const profile = relationshipProfileSchema.parse(loadSetProfile(DEFAULT_SET));
  const sets: EvalSet[] = [];
  for (const split of SPLITS) {
    sets.push({
      name: DEFAULT_SET,
      split,
      items: await labelledSplit(split),
      context: profileContext(profile),
    });
  }
  sets.push(await regressionSet());
  return sets;
}
