import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MailboxAccess } from "@/lib/mail/provider";
import { createSandboxProvider } from "@/lib/mail/sandbox/provider";

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "fluxasync-sandbox-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sandboxAccess = (): MailboxAccess => ({
  accessToken: "",
  address: "boss@sandbox.local",
  mailboxId: randomUUID(),
});

const eml = (n: number) =>
  `From: client${n}@banque.ci\r\nTo: boss@sandbox.local\r\nSubject: Message ${n}\r\n\r\nCorps ${n}\r\n`;

/** Runs `tasks` with at most `limit` in flight at once. */
async function pool<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}

describe("sandbox mailbox under concurrent delivery", () => {
  it("loses none of 300 emails delivered 25 at a time while syncs list it", async () => {
    const provider = createSandboxProvider(root);
    const access = sandboxAccess();
    const seen = new Set<string>();
    let cursor = "0";
    let delivering = true;
    // A sync loop running alongside, as the drain does while the user composes.
    const syncing = (async () => {
      while (delivering) {
        const changes = await provider.listChanges(access, cursor);
        if (changes.kind !== "changes") throw new Error("cursor expired");
        for (const id of changes.messageIds) seen.add(id);
        expect(Number(changes.cursor)).toBeGreaterThanOrEqual(Number(cursor));
        cursor = changes.cursor;
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const delivered = await pool(
      25,
      Array.from({ length: 300 }, (_, n) => () => provider.store.deliver(access.mailboxId, eml(n))),
    );
    delivering = false;
    await syncing;
    const last = await provider.listChanges(access, cursor);
    if (last.kind !== "changes") throw new Error("cursor expired");
    for (const id of last.messageIds) seen.add(id);

    expect(new Set(delivered.map((e) => e.seq)).size).toBe(300);
    expect(delivered.map((e) => e.seq).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 300 }, (_, i) => i + 1),
    );
    const lost = delivered.filter((e) => !seen.has(e.id));
    expect(lost).toEqual([]);
    expect(last.cursor).toBe("300");
    // Every message reads back whole; no temporary file is left behind.
    const msg = await provider.fetchMessage(access, delivered[137]!.id);
    expect(msg?.subject).toBe("Message 137");
    const names = readdirSync(path.join(root, access.mailboxId));
    expect(names.filter((n) => n.startsWith("."))).toEqual([]);
  });

  it("does not advance the cursor past a number it has not seen yet", async () => {
    const provider = createSandboxProvider(root);
    const access = sandboxAccess();
    const first = await provider.store.deliver(access.mailboxId, eml(1));
    const second = await provider.store.deliver(access.mailboxId, eml(2));
    // As if the directory read had missed number 1 while it was being linked.
    rmSync(path.join(root, access.mailboxId, first.file));
    const changes = await provider.listChanges(access, "0");
    expect(changes).toEqual({ kind: "changes", messageIds: [second.id], cursor: "0" });
  });

  it("keeps reading a folder written before sequence numbers were atomic", async () => {
    const provider = createSandboxProvider(root);
    const access = sandboxAccess();
    const { mkdirSync, writeFileSync } = await import("node:fs");
    mkdirSync(path.join(root, access.mailboxId));
    const legacy = randomUUID();
    writeFileSync(path.join(root, access.mailboxId, `0000000001-${legacy}.eml`), eml(1));
    const next = await provider.store.deliver(access.mailboxId, eml(2));
    expect(next.seq).toBe(2);
    const changes = await provider.listChanges(access, "0");
    expect(changes).toEqual({ kind: "changes", messageIds: [legacy, next.id], cursor: "2" });
  });
});
