import { randomUUID } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * The sandbox mailbox's Sent folder: `<root>/<mailbox>/sent/<seq>-<id>.eml`, filled from the local
 * app's compose panel ("envoyé par moi"), read by the relationship store like a real Sent folder.
 * A sequence number is claimed by creating its file exclusively, so two composes at once never
 * share one.
 */
const FILE = /^(\d{10})-([a-z0-9-]{8,64})\.eml$/;

export type SentEntry = { seq: number; id: string; file: string };

export class SandboxSentFolder {
  constructor(private readonly root: string) {}

  private dir(mailboxId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(mailboxId)) throw new Error("invalid sandbox mailbox id");
    return path.join(this.root, mailboxId, "sent");
  }

  async list(mailboxId: string): Promise<SentEntry[]> {
    const names = await readdir(this.dir(mailboxId)).catch(() => [] as string[]);
    const out: SentEntry[] = [];
    for (const file of names) {
      const m = FILE.exec(file);
      if (m) out.push({ seq: Number(m[1]), id: m[2] ?? "", file });
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  async add(mailboxId: string, raw: string): Promise<SentEntry> {
    const dir = this.dir(mailboxId);
    await mkdir(dir, { recursive: true });
    for (let attempt = 0; attempt < 50; attempt++) {
      const seq = ((await this.list(mailboxId)).at(-1)?.seq ?? 0) + 1 + attempt;
      const id = randomUUID();
      const file = `${String(seq).padStart(10, "0")}-${id}.eml`;
      try {
        await writeFile(path.join(dir, file), raw, { flag: "wx" });
        return { seq, id, file };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    throw new Error("could not claim a sequence number in the sandbox Sent folder");
  }

  read(mailboxId: string, entry: SentEntry): Promise<string> {
    return readFile(path.join(this.dir(mailboxId), entry.file), "utf8");
  }
}
