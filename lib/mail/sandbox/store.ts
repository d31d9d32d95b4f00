import { randomBytes, randomUUID } from "node:crypto";
import { link, mkdir, readdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

/**
 * The sandbox mailbox's storage: one folder per mailbox holding `<seq>-<id>.eml` files and a
 * `<id>.json` sidecar with the labels and flags our auto-actions set. The sequence number is the
 * cursor, so the sandbox goes through the same cursor → sync → analyze path as Gmail and Outlook.
 * Local mode only: the raw email lives on the developer's disk, as it would in their mailbox.
 *
 * Sequence numbers are taken atomically by the file system, so concurrent deliveries neither
 * share a number nor leave one behind a listing: a message is written in full under a temporary
 * name, then hard-linked to the name its number determines (`<seq>-<epoch>-<seq>.eml`); link()
 * fails with EEXIST when another delivery took that number first, and the next one is tried.
 * A number appears only with its complete file, always above every number already present.
 */
const FILE = /^(\d{10})-([a-z0-9-]{8,64})\.eml$/;
const flagsSchema = z.object({ labels: z.array(z.string()), read: z.boolean(), archived: z.boolean() });
export type SandboxFlags = z.infer<typeof flagsSchema>;

export type SandboxEntry = { seq: number; id: string; file: string };

export class SandboxStore {
  constructor(private readonly root: string) {}

  private dir(mailboxId: string): string {
    if (!/^[0-9a-f-]{36}$/.test(mailboxId)) throw new Error("invalid sandbox mailbox id");
    return path.join(this.root, mailboxId);
  }

  async list(mailboxId: string): Promise<SandboxEntry[]> {
    const names = await readdir(this.dir(mailboxId)).catch(() => [] as string[]);
    const out: SandboxEntry[] = [];
    for (const file of names) {
      const m = FILE.exec(file);
      if (m) out.push({ seq: Number(m[1]), id: m[2]!, file });
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /**
   * A random name for this folder's messages, made once: ids stay unique if the folder is wiped
   * while the database (which keys analyses on them) lives on. Linked into place like a message.
   */
  private async epoch(dir: string): Promise<string> {
    const file = path.join(dir, "epoch");
    const existing = await readFile(file, "utf8").catch(() => null);
    if (existing && /^[0-9a-f]{8}$/.test(existing)) return existing;
    const tmp = path.join(dir, `.epoch-${randomUUID()}`);
    await writeFile(tmp, randomBytes(4).toString("hex"), { flag: "wx" });
    try {
      await link(tmp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    } finally {
      await unlink(tmp).catch(() => {});
    }
    return readFile(file, "utf8");
  }

  /** Delivers a raw RFC 822 message into the mailbox; returns its id and sequence number. */
  async deliver(mailboxId: string, raw: string | Uint8Array): Promise<SandboxEntry> {
    const dir = this.dir(mailboxId);
    await mkdir(dir, { recursive: true });
    const epoch = await this.epoch(dir);
    const tmp = path.join(dir, `.incoming-${randomUUID()}`);
    await writeFile(tmp, raw, { flag: "wx" });
    try {
      let seq = ((await this.list(mailboxId)).at(-1)?.seq ?? 0) + 1;
      for (;;) {
        const id = `${epoch}-${seq}`;
        const file = `${String(seq).padStart(10, "0")}-${id}.eml`;
        try {
          await link(tmp, path.join(dir, file));
          return { seq, id, file };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          seq += 1;
        }
      }
    } finally {
      await unlink(tmp).catch(() => {});
    }
  }

  /** The raw bytes of a message: 8-bit mail is not necessarily UTF-8, and the parser reads the charset. */
  async read(mailboxId: string, id: string): Promise<Uint8Array | null> {
    const entry = (await this.list(mailboxId)).find((e) => e.id === id);
    return entry ? readFile(path.join(this.dir(mailboxId), entry.file)) : null;
  }

  async flags(mailboxId: string, id: string): Promise<SandboxFlags> {
    const raw = await readFile(path.join(this.dir(mailboxId), `${id}.json`), "utf8").catch(() => null);
    return raw
      ? flagsSchema.parse(JSON.parse(raw))
      : { labels: ["INBOX", "UNREAD"], read: false, archived: false };
  }

  async setFlags(mailboxId: string, id: string, flags: SandboxFlags): Promise<void> {
    await writeFile(path.join(this.dir(mailboxId), `${id}.json`), JSON.stringify(flags));
  }
}
