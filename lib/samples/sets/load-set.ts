import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { actionKindSchema, prioritySchema } from "@/lib/analysis/schema";

/*
 * Labelled email sets for measuring the judgement (issue 10). A set is a folder under
 * lib/samples/sets/ with a profile (the relationship store stand-in) and its splits: `dev`, which
 * may be used to tune rules and prompts, and `holdout`, which must never be. A set written blind
 * to the analyzer (sahel-2026) has a holdout split only. See each set's README.
 */

/** An address the owner wrote to, or a whole domain written as `@domain`. */
const correspondentSchema = z.union([z.email(), z.string().regex(/^@[a-z0-9-]+(\.[a-z0-9-]+)+$/)]);
/** RFC 5322 msg-id with its angle brackets, as it appears in Message-ID / In-Reply-To. */
const messageIdSchema = z.string().regex(/^<[^<>\s@]+@[^<>\s@]+>$/);

export const setProfileSchema = z
  .object({
    mailbox: z.email(),
    /** Who hosts the mailbox: what the receiving server's headers in the set mean. */
    host: z.enum(["google", "microsoft"]),
    correspondents: z.array(correspondentSchema),
    sentMessageIds: z.array(messageIdSchema),
  })
  .strict();
export type SetProfile = z.infer<typeof setProfileSchema>;

/** Headers carried as fields of their own, so never repeated in `headers`. */
const FIELD_HEADERS = ["from", "to", "cc", "subject", "date"];

export const setEmailSchema = z
  .object({
    id: z.string().regex(/^[dhb]-\d{3}$/),
    /** Empty for `From: "" <>`, a spam signal that must be judged, not refused. */
    from: z.union([z.email(), z.literal("")]),
    fromName: z.string(),
    /** May be empty: undisclosed recipients. */
    to: z.array(z.email()),
    cc: z.array(z.email()),
    subject: z.string(),
    date: z.iso.datetime({ offset: true }),
    /** Other RFC 822 headers as received (Authentication-Results, Message-ID, In-Reply-To, List-Id…). */
    headers: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9-]*$/), z.string())
      .refine((h) => Object.keys(h).every((k) => !FIELD_HEADERS.includes(k.toLowerCase())), {
        message: "From/To/Cc/Subject/Date are fields of their own, not headers",
      }),
    /** Plain body; HTML mail keeps its markup here, as a text/html part would. */
    text: z.string().min(1),
    label: prioritySchema,
    action: actionKindSchema,
    /** Why this label, in a sentence: the reading of a manager, not of a rule. */
    note: z.string().min(1),
    /**
     * Files attached, by name among the generated fixtures (lib/attachments/fixtures,
     * `npm run samples:attachments`); `filename` is the name the email gives it, if another.
     */
    attachments: z
      .array(
        z
          .object({ fixture: z.string().regex(/^[\w.-]+\.[a-z]+$/), filename: z.string().min(1).optional() })
          .strict(),
      )
      .max(5)
      .optional(),
    /** The email tries to instruct an AI; it must never be promoted for it. */
    injection: z.literal(true).optional(),
  })
  .strict();
export type SetEmail = z.infer<typeof setEmailSchema>;

export const SPLITS = ["dev", "holdout"] as const;
export type SetSplit = (typeof SPLITS)[number];
/** inbox-2026's holdout is `h-NNN`; sahel-2026, a second blind holdout, is `b-NNN`. */
const ID_PREFIXES: Record<SetSplit, string[]> = { dev: ["d-"], holdout: ["h-", "b-"] };

// path.join rather than `new URL(..., import.meta.url)`: Next's bundler turns the latter into an asset.
export const SETS_DIR = path.dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SET = "inbox-2026";

/** `set` is a folder name under SETS_DIR, or an absolute path to a set folder elsewhere. */
const setFile = (set: string, file: string) => path.resolve(SETS_DIR, set, file);

export function loadSetProfile(set = DEFAULT_SET): SetProfile {
  const file = setFile(set, "profile.json");
  const parsed = setProfileSchema.safeParse(
    JSON.parse(readFileSync(/* turbopackIgnore: true */ file, "utf8")),
  );
  if (!parsed.success) throw new Error(`${file}: ${parsed.error.message}`);
  return parsed.data;
}

/** One split, every line validated; a bad line fails loudly with its file and line number. */
export function loadSetSplit(split: SetSplit, set = DEFAULT_SET): SetEmail[] {
  const file = setFile(set, `${split}.jsonl`);
  const lines = readFileSync(/* turbopackIgnore: true */ file, "utf8").split("\n");
  const emails: SetEmail[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${i + 1}: not JSON (${(error as Error).message})`);
    }
    const parsed = setEmailSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.message}`);
    const prefixes = ID_PREFIXES[split];
    if (!prefixes.some((prefix) => parsed.data.id.startsWith(prefix)))
      throw new Error(`${file}:${i + 1}: id ${parsed.data.id} should start with ${prefixes.join(" or ")}`);
    emails.push(parsed.data);
  });
  return emails;
}

/** The splits a set has a file for, in SPLITS order; a set without any is refused. */
export function setSplits(set = DEFAULT_SET): SetSplit[] {
  const splits = SPLITS.filter((split) =>
    existsSync(/* turbopackIgnore: true */ setFile(set, `${split}.jsonl`)),
  );
  if (!splits.length) throw new Error(`${setFile(set, "")}: no ${SPLITS.join(".jsonl or ")}.jsonl`);
  return splits;
}

/** The profile and every split; a split the set has no file for is empty. */
export function loadSet(set = DEFAULT_SET): { profile: SetProfile } & Record<SetSplit, SetEmail[]> {
  const present = setSplits(set);
  const split = (name: SetSplit) => (present.includes(name) ? loadSetSplit(name, set) : []);
  return { profile: loadSetProfile(set), dev: split("dev"), holdout: split("holdout") };
}

/** A header of the email, case-insensitively, or undefined. */
export function setEmailHeader(email: SetEmail, name: string): string | undefined {
  const key = Object.keys(email.headers).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : email.headers[key];
}
