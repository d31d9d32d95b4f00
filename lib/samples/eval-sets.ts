import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AnalysisContext } from "@/lib/analysis/context";
import type { LabelledMessage } from "@/lib/analysis/evaluate";
import { emailAttachmentReader } from "@/lib/attachments/read-email";
import { parseRawMessage } from "@/lib/mail/mime";
import { attachmentFromRaw } from "@/lib/mail/raw-attachment";
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
  setSplits,
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

/** Analysis context of a profile's owner: French, her time zone, no sender rules, the profile's store. */
export function profileContext(
  profile: RelationshipProfile,
  timeZone = "Africa/Abidjan",
): EvalSet["context"] {
  const { store, hash } = profileStore(profile);
  return (item) => ({
    locale: "fr",
    timeZone,
    senderRules: [],
    mailboxAddress: profile.mailbox,
    mailboxHost: profile.host,
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

/**
 * One split of a labelled set (lib/samples/sets/<name>), parsed as the sandbox parses mail; an
 * email with files gets a reader of them from its raw message, as the job reads the provider's.
 */
export async function labelledSplit(
  split: SetSplit,
  set = DEFAULT_SET,
  timeZone = "Africa/Abidjan",
): Promise<LabelledMessage[]> {
  const emails = loadSetSplit(split, set);
  return Promise.all(
    emails.map(async (e) => {
      const raw = setEmailToEml(e);
      const msg = await parseRawMessage(raw, { providerMessageId: e.id });
      const files = msg.attachments.length > 0;
      return {
        id: e.id,
        label: e.label,
        injection: e.injection ?? false,
        msg,
        ...(files && {
          attachments: emailAttachmentReader(msg, (meta) => attachmentFromRaw(raw, meta), { timeZone }),
        }),
      };
    }),
  );
}

/**
 * The labelled sets under lib/samples/sets and their mailbox owner's time zone: inbox-2026 (dev and
 * holdout, an Abidjan DG on Gmail), sahel-2026 (holdout only, a Dakar CFO on Microsoft 365,
 * written blind to the analyzer), attachments-2026 (dev and holdout: emails whose substance is
 * in the attached invoice, contract, scan or spreadsheet) and lagune-2026 (dev and holdout, a
 * Cotonou DG on Google Workspace, written blind to the analyzer).
 */
const LABELLED_SETS = [
  { name: DEFAULT_SET, timeZone: "Africa/Abidjan" },
  { name: "sahel-2026", timeZone: "Africa/Dakar" },
  { name: "attachments-2026", timeZone: "Africa/Abidjan" },
  { name: "lagune-2026", timeZone: "Africa/Porto-Novo" },
];

/** Every labelled set of the project: each set's splits in order, then the regression set. */
export async function evalSets(): Promise<EvalSet[]> {
  const sets: EvalSet[] = [];
  for (const { name, timeZone } of LABELLED_SETS) {
    const profile = relationshipProfileSchema.parse(loadSetProfile(name));
    for (const split of setSplits(name)) {
      sets.push({
        name,
        split,
        items: await labelledSplit(split, name, timeZone),
        context: profileContext(profile, timeZone),
      });
    }
  }
  sets.push(await regressionSet());
  return sets;
}
