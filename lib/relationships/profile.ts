import { readFileSync } from "node:fs";
import { z } from "zod";
import { createHasher, type Hasher } from "@/lib/relationships/hash";
import { MemoryRelationshipStore } from "@/lib/relationships/memory-store";
import { sentMailEntries } from "@/lib/relationships/sent-mail";

/**
 * A relationship profile: the JSON that stands in for a mailbox's relationship store in
 * `npm run triage -- --profile FILE` and `npm run eval`. `correspondents` are addresses the owner
 * has written to or whole domains ("@partner.ci"); `sentMessageIds` are Message-IDs the owner sent.
 */
export const relationshipProfileSchema = z.object({
  mailbox: z.email(),
  correspondents: z.array(z.string().regex(/^[^@\s]*@[^@\s]+$/, "an address or @domain")).default([]),
  sentMessageIds: z.array(z.string().min(3)).default([]),
  /** Who hosts the mailbox (`google`, `microsoft`): what its receiving server's headers mean. */
  host: z.enum(["google", "microsoft", "other"]).default("other"),
});
export type RelationshipProfile = z.infer<typeof relationshipProfileSchema>;

/** A fixed key: a profile is already in clear, the hashing only keeps one code path. */
const PROFILE_KEY = new Uint8Array(32).fill(7);

export type ProfileStore = {
  store: MemoryRelationshipStore;
  hash: Hasher;
  mailbox: string;
  host: RelationshipProfile["host"];
};

export function profileStore(input: z.input<typeof relationshipProfileSchema>): ProfileStore {
  const profile = relationshipProfileSchema.parse(input);
  const hash = createHasher(PROFILE_KEY);
  const store = new MemoryRelationshipStore();
  const at = "1970-01-01T00:00:00.000Z";
  for (const c of profile.correspondents) {
    // "@partner.ci" teaches the domain only: a synthetic recipient there, minus its address entry.
    const entries = sentMailEntries(
      { recipients: [c.startsWith("@") ? `x${c}` : c], internetMessageId: null, sentAt: at },
      hash,
      [profile.mailbox],
    );
    store.add(c.startsWith("@") ? entries.filter((e) => e.kind !== "address") : entries);
  }
  for (const id of profile.sentMessageIds) {
    store.add(sentMailEntries({ recipients: [], internetMessageId: id, sentAt: at }, hash, []));
  }
  return { store, hash, mailbox: profile.mailbox, host: profile.host };
}

export function readProfile(file: string): RelationshipProfile {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: not a readable JSON profile (${(error as Error).message})`);
  }
  const parsed = relationshipProfileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
