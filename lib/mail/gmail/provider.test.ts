import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { TokenExpiredError } from "@/lib/mail/errors";
import type { GmailCall } from "@/lib/mail/gmail/api-request";
import { createGmailProvider } from "@/lib/mail/gmail/provider";
import type { LabelIds, MailboxAccess } from "@/lib/mail/provider";
import { createGoogleFake, type GoogleFake } from "@/lib/testing/google-fake";
import { server } from "@/lib/testing/msw";

const address = "direction@sotra.ci";
const topicName = "projects/fluxasync/topics/gmail";
let fake: GoogleFake;
let access: MailboxAccess;
let calls: GmailCall[];
const provider = () => createGmailProvider({ topicName, meter: (c) => calls.push(c) });
const from = (n: number) => `Client ${n} <client${n}@banque.ci>`;

beforeEach(() => {
  fake = createGoogleFake({ topicName });
  server.use(...fake.handlers);
  access = { accessToken: fake.accessToken(address), address, mailboxId: "mbx_1" };
  calls = [];
});

describe("listChanges", () => {
  it("collects inbox arrivals across history pages and returns the last page's historyId", async () => {
    const box = fake.mailbox(address);
    const cursor = box.historyId;
    const expected: string[] = [];
    for (let i = 0; i < 1203; i++)
      expected.push(box.addMessage({ from: from(i), subject: `m${i}`, text: "x" }).id);
    const changes = await provider().listChanges(access, cursor);
    expect(fake.calls("history.list")).toBe(3);
    expect(changes).toEqual({
      kind: "changes",
      messageIds: expected,
      cursor: box.historyId,
      sentMail: false,
    });
    expect(calls.filter((c) => c.method === "history.list").reduce((n, c) => n + c.units, 0)).toBe(6);
  });

  it("skips drafts, sent-only mail and label changes, and lists each message once", async () => {
    const box = fake.mailbox(address);
    const cursor = box.historyId;
    const inbox = box.addMessage({ from: from(1), text: "a" });
    box.addMessage({ from: address, text: "draft", labels: ["DRAFT"] });
    // Inserted by another app with both labels: still a draft, never an arrival.
    box.addMessage({ from: address, text: "odd draft", labels: ["DRAFT", "INBOX"] });
    box.addMessage({ from: address, text: "sent", labels: ["SENT"] });
    const self = box.addMessage({ from: address, text: "note to self", labels: ["SENT", "INBOX"] });
    box.addMessage({ from: from(2), text: "filtered away", labels: ["CATEGORY_PROMOTIONS"] });
    box.modify(inbox.id, [], ["UNREAD"]);
    const changes = await provider().listChanges(access, cursor);
    // The sent mail in the same history tells the relationship store to read.
    expect(changes).toEqual({
      kind: "changes",
      messageIds: [inbox.id, self.id],
      cursor: box.historyId,
      sentMail: true,
    });
  });

  it("does not lose mail that arrives between two pages", async () => {
    const box = fake.mailbox(address);
    const cursor = box.historyId;
    for (let i = 0; i < 501; i++) box.addMessage({ from: from(i), text: "x" });
    let late = "";
    fake.onNext("history.list", () => undefined);
    fake.onNext("history.list", () => {
      late = box.addMessage({ from: from(999), text: "late" }).id;
    });
    const first = await provider().listChanges(access, cursor);
    if (first.kind !== "changes") throw new Error("expected changes");
    const second = await provider().listChanges(access, first.cursor);
    if (second.kind !== "changes") throw new Error("expected changes");
    const seen = [...first.messageIds, ...second.messageIds];
    expect(seen).toContain(late);
    expect(seen.length).toBe(502);
  });

  it("stops at the page bound with a cursor that resumes where it stopped", async () => {
    const box = fake.mailbox(address);
    const cursor = box.historyId;
    const ids = Array.from({ length: 1100 }, (_, i) => box.addMessage({ from: from(i), text: "x" }).id);
    const bounded = createGmailProvider({ topicName, maxHistoryPages: 1 });
    const first = await bounded.listChanges(access, cursor);
    if (first.kind !== "changes") throw new Error("expected changes");
    expect(first.messageIds).toEqual(ids.slice(0, 500));
    const second = await bounded.listChanges(access, first.cursor);
    if (second.kind !== "changes") throw new Error("expected changes");
    expect(second.messageIds).toEqual(ids.slice(500, 1000));
  });

  it("lists a message once across records, and never moves the cursor past what pages could hide", async () => {
    const box = fake.mailbox(address);
    const cursor = box.historyId;
    const { id, threadId } = box.addMessage({ from: from(1), text: "x" });
    const record = (n: string) => ({
      id: n,
      messages: [{ id, threadId }],
      messagesAdded: [{ message: { id, threadId, labelIds: ["INBOX"] } }],
    });
    let page = 0;
    server.use(
      http.get("https://gmail.googleapis.com/gmail/v1/users/me/history", () => {
        page += 1;
        return page === 1
          ? HttpResponse.json({ history: [record("4200010")], nextPageToken: "p2", historyId: "4200020" })
          : HttpResponse.json({ history: [record("4200015")], historyId: "4200030" });
      }),
    );
    // Page 2 says the mailbox is at 4200030, but if its token froze the set at page 1 (4200020),
    // mail added in between is not in it: resuming from 4200030 would skip that mail.
    await expect(provider().listChanges(access, cursor)).resolves.toEqual({
      kind: "changes",
      messageIds: [id],
      cursor: "4200020",
      sentMail: false,
    });
  });

  it("says expired when Gmail no longer has the cursor's history (404)", async () => {
    const box = fake.mailbox(address);
    const cursor = box.historyId;
    box.addMessage({ from: from(1), text: "x" });
    box.expireAllHistory();
    await expect(provider().listChanges(access, cursor)).resolves.toEqual({ kind: "expired" });
  });

  it("surfaces 429 as RateLimitedError, then succeeds on the next run", async () => {
    const box = fake.mailbox(address);
    const cursor = box.historyId;
    const { id } = box.addMessage({ from: from(1), text: "x" });
    fake.fail("history.list", { status: 429, retryAfterSeconds: 2 });
    await expect(provider().listChanges(access, cursor)).rejects.toMatchObject({ retryAfterMs: 2000 });
    await expect(provider().listChanges(access, cursor)).resolves.toMatchObject({ messageIds: [id] });
  });

  it("surfaces a rejected access token as TokenExpiredError", async () => {
    fake.expireAccessTokens(address);
    await expect(provider().listChanges(access, fake.mailbox(address).historyId)).rejects.toBeInstanceOf(
      TokenExpiredError,
    );
  });
});

describe("recentInbox", () => {
  it("takes the cursor first, then lists recent inbox mail newest first, capped and deduplicated", async () => {
    const box = fake.mailbox(address);
    const now = Date.now();
    const old = box.addMessage({ from: from(0), text: "old", receivedAt: new Date(now - 3 * 86_400_000) });
    const recent = Array.from({ length: 12 }, (_, i) =>
      box.addMessage({ from: from(i), text: "r", receivedAt: new Date(now - (12 - i) * 60_000) }),
    );
    box.addMessage({ from: address, text: "sent", labels: ["SENT"], receivedAt: new Date(now) });
    let arrivedDuringListing = "";
    fake.onNext("messages.list", () => {
      arrivedDuringListing = box.addMessage({
        from: from(77),
        text: "during",
        receivedAt: new Date(now - 30 * 86_400_000),
      }).id;
    });
    const result = await provider().recentInbox(access, { since: new Date(now - 86_400_000), max: 10 });
    expect(result.messageIds).toEqual(
      recent
        .map((r) => r.id)
        .reverse()
        .slice(0, 10),
    );
    expect(result.messageIds).not.toContain(old.id);
    expect(calls.map((c) => c.method)).toEqual(["getProfile", "messages.list"]);
    // The cursor predates the listing, so the message that arrived meanwhile is seen next time.
    const next = await provider().listChanges(access, result.cursor);
    expect(next).toMatchObject({ kind: "changes", messageIds: [arrivedDuringListing] });
  });

  it("pages messages.list until the cap", async () => {
    const box = fake.mailbox(address);
    for (let i = 0; i < 700; i++) box.addMessage({ from: from(i), text: "x" });
    const result = await provider().recentInbox(access, {
      since: new Date(Date.now() - 3_600_000),
      max: 600,
    });
    expect(result.messageIds).toHaveLength(600);
    expect(new Set(result.messageIds).size).toBe(600);
    expect(fake.calls("messages.list")).toBe(2);
  });

  it("skips the duplicate a page shift produces when mail arrives mid-listing", async () => {
    const box = fake.mailbox(address);
    for (let i = 0; i < 700; i++) box.addMessage({ from: from(i), text: "x" });
    fake.onNext("messages.list", () => undefined);
    fake.onNext("messages.list", () => {
      box.addMessage({ from: from(999), text: "newest" });
    });
    const result = await provider().recentInbox(access, {
      since: new Date(Date.now() - 3_600_000),
      max: 600,
    });
    expect(new Set(result.messageIds).size).toBe(600);
    expect(result.messageIds).toHaveLength(600);
    expect(fake.calls("messages.list")).toBe(3);
  });
});

describe("fetchMessage", () => {
  it("returns the normalized message, or null once it was deleted", async () => {
    const box = fake.mailbox(address);
    const { id } = box.addMessage({
      from: "Aïcha Koné <client.important@banque.ci>",
      subject: "Contrat 15M FCFA",
      text: "Signature aujourd'hui avant 17h.",
      html: "<p>Signature aujourd'hui avant 17h.</p>",
      headers: { "List-Id": "<contrats.banque.ci>" },
      attachments: [{ filename: "contrat.pdf", mimeType: "application/pdf", size: 5 * 1024 * 1024 }],
    });
    const m = await provider().fetchMessage(access, id);
    expect(m).toMatchObject({
      provider: "gmail",
      providerMessageId: id,
      from: { name: "Aïcha Koné", address: "client.important@banque.ci" },
      to: [{ name: null, address }],
      subject: "Contrat 15M FCFA",
      text: "Signature aujourd'hui avant 17h.",
      headers: { "list-id": "<contrats.banque.ci>" },
      attachments: [{ filename: "contrat.pdf", mimeType: "application/pdf", size: 5_242_880 }],
      category: "primary",
      fromSelf: false,
    });
    box.deleteMessage(id);
    await expect(provider().fetchMessage(access, id)).resolves.toBeNull();
  });
});

describe("applyActions", () => {
  it("labels under FluxAsync/, marks read and archives in one modify, creating the label once", async () => {
    const box = fake.mailbox(address);
    const a = box.addMessage({ from: from(1), text: "x" }).id;
    const b = box.addMessage({ from: from(2), text: "y" }).id;
    const p = provider();
    const labels: LabelIds = new Map();
    const done = await p.applyActions(
      access,
      a,
      [{ kind: "label", name: "Critique" }, { kind: "mark_read" }, { kind: "archive" }],
      labels,
    );
    expect(done).toEqual(["label:FluxAsync/Critique", "mark_read", "archive"]);
    expect(box.labelNames(a)).toEqual(["CATEGORY_PERSONAL", "FluxAsync/Critique"]);
    // The id it created is handed back for the caller to store.
    expect([...labels.keys()]).toEqual(["fluxasync/critique"]);
    await expect(
      p.applyActions(access, b, [{ kind: "label", name: "FluxAsync/Critique" }], labels),
    ).resolves.toEqual(["label:FluxAsync/Critique"]);
    expect(box.labelNames(b)).toContain("FluxAsync/Critique");
    expect(fake.calls("labels.create")).toBe(1);
    expect(fake.calls("labels.list")).toBe(1);
    expect(fake.calls("messages.modify")).toBe(2);
  });

  it("uses the label another worker created meanwhile (409)", async () => {
    const box = fake.mailbox(address);
    const id = box.addMessage({ from: from(1), text: "x" }).id;
    fake.onNext("labels.create", () => {
      box.createLabel("FluxAsync/Important");
    });
    const labels: LabelIds = new Map();
    await expect(
      provider().applyActions(access, id, [{ kind: "label", name: "Important" }], labels),
    ).resolves.toEqual(["label:FluxAsync/Important"]);
    expect(box.labelNames(id)).toContain("FluxAsync/Important");
    expect(labels.get("fluxasync/important")).toMatch(/^Label_/);
  });

  it("keeps no label ids of its own: a second process given the stored ids calls modify only", async () => {
    const box = fake.mailbox(address);
    const [a, b] = [1, 2].map((n) => box.addMessage({ from: from(n), text: "x" }).id);
    const stored: LabelIds = new Map();
    await provider().applyActions(access, a!, [{ kind: "label", name: "Critique" }], stored);
    fake.resetCounters();
    // Another instance (a fresh provider), with what the database holds.
    await provider().applyActions(access, b!, [{ kind: "label", name: "Critique" }], new Map(stored));
    expect(fake.calls("labels.list") + fake.calls("labels.create")).toBe(0);
    expect(fake.calls("messages.modify")).toBe(1);
    // Without stored ids a call looks the label up again (labels.list), and never creates a second one.
    await provider().applyActions(access, b!, [{ kind: "label", name: "Critique" }]);
    expect(fake.calls("labels.list")).toBe(1);
    expect(fake.calls("labels.create")).toBe(0);
  });

  it("re-creates a stored label the user deleted (Gmail: 400 Invalid label) and retries the modify once", async () => {
    const box = fake.mailbox(address);
    const id = box.addMessage({ from: from(1), text: "x" }).id;
    const stored: LabelIds = new Map();
    await provider().applyActions(access, id, [{ kind: "label", name: "Critique" }], stored);
    const old = stored.get("fluxasync/critique");
    box.deleteLabel("FluxAsync/Critique");
    fake.resetCounters();
    const c = box.addMessage({ from: from(3), text: "x" }).id;
    await expect(
      provider().applyActions(
        access,
        c,
        [{ kind: "label", name: "Critique" }, { kind: "mark_read" }],
        stored,
      ),
    ).resolves.toEqual(["label:FluxAsync/Critique", "mark_read"]);
    expect(box.labelNames(c)).toContain("FluxAsync/Critique");
    expect(box.labelNames(c)).not.toContain("UNREAD");
    expect(stored.get("fluxasync/critique")).not.toBe(old);
    expect(fake.calls("messages.modify")).toBe(2);
    expect(fake.calls("labels.create")).toBe(1);
  });

  it("does not retry a refused modify whose label ids it looked up itself", async () => {
    const box = fake.mailbox(address);
    const id = box.addMessage({ from: from(1), text: "x" }).id;
    fake.fail("messages.modify", { status: 400, reason: "invalidArgument", message: "Invalid label" });
    await expect(provider().applyActions(access, id, [{ kind: "label", name: "Critique" }])).rejects.toThrow(
      /HTTP 400/,
    );
    expect(fake.calls("messages.modify")).toBe(1);
  });

  it("does nothing for a deleted message", async () => {
    const box = fake.mailbox(address);
    const id = box.addMessage({ from: from(1), text: "x" }).id;
    box.deleteMessage(id);
    await expect(provider().applyActions(access, id, [{ kind: "mark_read" }])).resolves.toEqual([]);
  });
});

describe("watch", () => {
  it("starts push on INBOX and returns the start cursor and expiry", async () => {
    const box = fake.mailbox(address);
    box.addMessage({ from: from(1), text: "x" });
    const state = await provider().watch(access, { previous: null });
    expect(state).toEqual({
      id: null,
      clientState: null,
      cursor: box.historyId,
      expiresAt: box.watch?.expiration,
    });
    expect(box.watch).toMatchObject({ topicName, labelIds: ["INBOX"] });
  });

  it("on the push-client conflict, stops and watches again", async () => {
    const box = fake.mailbox(address);
    box.pushClientConflict = true;
    const state = await provider().watch(access, { previous: null });
    expect(state.cursor).toBe(box.historyId);
    expect([fake.calls("watch"), fake.calls("stop")]).toEqual([2, 1]);
    expect(calls.reduce((n, c) => n + c.units, 0)).toBe(250);
  });

  it("stops push", async () => {
    const p = provider();
    await p.watch(access, { previous: null });
    await p.stopWatch(access, null);
    expect(fake.mailbox(address).watch).toBeNull();
  });

  it("lets a 5xx on watch reach the caller for a retry", async () => {
    fake.fail("watch", { status: 500 });
    await expect(provider().watch(access, { previous: null })).rejects.toMatchObject({
      code: "provider_unavailable",
    });
    await expect(provider().watch(access, { previous: null })).resolves.toMatchObject({ id: null });
  });
});
