import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PRIORITIES } from "@/lib/analysis/schema";
import { loadSet, loadSetSplit, type SetEmail, SPLITS, setEmailHeader } from "@/lib/samples/sets/load-set";
import { expectMimeRoundTrip } from "@/lib/samples/sets/round-trip-check";

const set = loadSet("inbox-2026");
const owner = set.profile.mailbox;
const ownerDomain = owner.split("@")[1];
const sent = new Set(set.profile.sentMessageIds);
const messageIds = (emails: SetEmail[]) => emails.map((e) => setEmailHeader(e, "Message-ID"));
const dmarc = (e: SetEmail) =>
  /dmarc=(\w+)/.exec(setEmailHeader(e, "Authentication-Results") ?? "")?.[1] ?? "none";
const fromDomain = (e: SetEmail) => e.from.split("@")[1] ?? "";

describe.each(SPLITS)("inbox-2026 %s split", (split) => {
  const emails = set[split];

  it("has at least 60 emails, each label 15-35 % of the split", () => {
    expect(emails.length).toBeGreaterThanOrEqual(60);
    for (const label of PRIORITIES) {
      const share = emails.filter((e) => e.label === label).length / emails.length;
      expect(share, label).toBeGreaterThanOrEqual(0.15);
      expect(share, label).toBeLessThanOrEqual(0.35);
    }
  });

  it("carries the headers real mail carries", () => {
    for (const e of emails) {
      expect(setEmailHeader(e, "Message-ID"), e.id).toBeDefined();
      expect(setEmailHeader(e, "Authentication-Results"), e.id).toMatch(/^mx\.google\.com; /);
    }
  });

  it("answers in threads only to mail the owner sent or to another email of the split (spam may forge)", () => {
    const own = new Set(messageIds(emails));
    const replies = emails.filter((e) => setEmailHeader(e, "In-Reply-To") && e.label !== "spam");
    for (const e of replies) {
      const parent = setEmailHeader(e, "In-Reply-To") ?? "";
      expect(sent.has(parent) || own.has(parent), e.id).toBe(true);
      expect(setEmailHeader(e, "References")?.split(/\s+/), e.id).toContain(parent);
    }
    expect(
      replies.filter((e) => sent.has(setEmailHeader(e, "In-Reply-To") ?? "")).length,
    ).toBeGreaterThanOrEqual(8);
  });

  it("covers the relationships, authentication results and addressing the judgement depends on", () => {
    const known = (e: SetEmail) =>
      set.profile.correspondents.some((c) =>
        c.startsWith("@") ? fromDomain(e) === c.slice(1) : e.from === c,
      );
    expect(emails.some((e) => fromDomain(e) === ownerDomain && dmarc(e) === "pass")).toBe(true);
    // A spoofed colleague: the internal domain with DMARC failing.
    expect(emails.some((e) => fromDomain(e) === ownerDomain && dmarc(e) === "fail")).toBe(true);
    expect(emails.filter((e) => fromDomain(e) !== ownerDomain && known(e)).length).toBeGreaterThanOrEqual(10);
    expect(emails.filter((e) => !known(e) && fromDomain(e) !== ownerDomain).length).toBeGreaterThanOrEqual(
      20,
    );
    expect(emails.some((e) => e.from === "")).toBe(true);
    expect(emails.some((e) => dmarc(e) === "none")).toBe(true);
    // Signed and SPF-valid for a sending platform, not for the From domain.
    expect(
      emails.some((e) => {
        const d = /dkim=pass header\.i=@([\w.-]+)/.exec(
          setEmailHeader(e, "Authentication-Results") ?? "",
        )?.[1];
        return d !== undefined && !fromDomain(e).endsWith(d) && !d.endsWith(fromDomain(e));
      }),
    ).toBe(true);
    expect(emails.some((e) => e.cc.includes(owner))).toBe(true);
    expect(emails.some((e) => !e.to.includes(owner) && !e.cc.includes(owner))).toBe(true);
    expect(emails.some((e) => (setEmailHeader(e, "Reply-To") ?? "").match(/@(gmail|yahoo|outlook)\./))).toBe(
      true,
    );
    expect(emails.some((e) => setEmailHeader(e, "Auto-Submitted"))).toBe(true);
    expect(emails.some((e) => setEmailHeader(e, "List-Unsubscribe") && e.label === "informational")).toBe(
      true,
    );
  });

  it("has two or three injection attempts, none labelled above informational", () => {
    const injections = emails.filter((e) => e.injection);
    expect(injections.length).toBeGreaterThanOrEqual(2);
    expect(injections.length).toBeLessThanOrEqual(3);
    for (const e of injections) expect(["informational", "spam"], e.id).toContain(e.label);
  });

  it("round-trips every email through an independent MIME parser", async () => {
    for (const e of emails) await expectMimeRoundTrip(e);
  });
});

describe("inbox-2026 as a whole", () => {
  it("has unique ids and Message-IDs across both splits", () => {
    const all = [...set.dev, ...set.holdout];
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(new Set(messageIds(all)).size).toBe(all.length);
    for (const id of messageIds(all)) expect(sent.has(id ?? ""), id).toBe(false);
  });

  it("keeps the profile free of free-mail domains and of the owner's own address", () => {
    expect(set.profile.correspondents).not.toContain(owner);
    for (const c of set.profile.correspondents) expect(c).not.toMatch(/^@(gmail|yahoo|outlook|hotmail)\./);
  });
});

describe("loadSetSplit", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "set-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const line = JSON.stringify(set.dev[0]);

  it("names the file and line of a bad email", () => {
    writeFileSync(path.join(dir, "dev.jsonl"), `${line}\n${line.replace('"label":"', '"label":"urgent')}\n`);
    expect(() => loadSetSplit("dev", dir)).toThrow(/dev\.jsonl:2: /);
  });

  it("refuses an id of the other split and a relationship hint", () => {
    writeFileSync(path.join(dir, "holdout.jsonl"), `${line}\n`);
    expect(() => loadSetSplit("holdout", dir)).toThrow(/holdout\.jsonl:1: id d-001 should start with h-/);
    writeFileSync(path.join(dir, "dev.jsonl"), `${line.replace(/}$/, ',"relationship":"known"}')}\n`);
    expect(() => loadSetSplit("dev", dir)).toThrow(/dev\.jsonl:1: .*relationship/s);
  });
});
