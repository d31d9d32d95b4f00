import { describe, expect, it } from "vitest";
import { PRIORITIES } from "@/lib/analysis/schema";
import { loadSet, type SetEmail, setEmailHeader, setSplits } from "@/lib/samples/sets/load-set";
import { expectMimeRoundTrip } from "@/lib/samples/sets/round-trip-check";

const NAME = "lagune-2026";
const set = loadSet(NAME);
const owner = set.profile.mailbox;
const ownerDomain = owner.split("@")[1];
const sent = new Set(set.profile.sentMessageIds);
const header = (e: SetEmail, name: string) => setEmailHeader(e, name) ?? "";
const auth = (e: SetEmail) => header(e, "Authentication-Results");
const dmarc = (e: SetEmail) => /dmarc=(\w+)/.exec(auth(e))?.[1] ?? "none";
const fromDomain = (e: SetEmail) => e.from.split("@")[1] ?? "";
const correspondentDomains = set.profile.correspondents.map((c) => c.slice(c.indexOf("@") + 1));
const known = (e: SetEmail) =>
  set.profile.correspondents.some((c) => (c.startsWith("@") ? fromDomain(e) === c.slice(1) : e.from === c));
const messageIds = (emails: SetEmail[]) => emails.map((e) => header(e, "Message-ID"));

/** Levenshtein distance, for lookalike domains (one or two characters off a correspondent's). */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      next[j] = Math.min((row[j] ?? 0) + 1, (next[j - 1] ?? 0) + 1, substitution);
    }
    row = next;
  }
  return row[b.length] ?? 0;
}

// Gmail's stamp for a Google Workspace mailbox: authserv-id mx.google.com, then dkim/spf/dmarc.
const GOOGLE_AR = /^mx\.google\.com; (dkim|spf)=/;

/** The splits this set has, with the id prefix, the size and the label counts each must keep. */
const EXPECTED = {
  dev: { prefix: "d", size: 61, counts: [12, 16, 17, 16] },
  holdout: { prefix: "h", size: 51, counts: [11, 12, 15, 13] },
} as const;

describe(`${NAME}: a third labelled inbox, written blind to the analyzer`, () => {
  it("has the splits listed here, and no other", () => {
    expect(setSplits(NAME)).toEqual(Object.keys(EXPECTED));
  });
});

describe.each(Object.entries(EXPECTED))(`${NAME} %s split`, (split, expected) => {
  const emails = set[split as keyof typeof EXPECTED];

  it("numbers its emails in date order, each label 15-35 % of the split", () => {
    expect(emails.map((e) => e.id)).toEqual(
      Array.from({ length: expected.size }, (_, i) => `${expected.prefix}-${String(i + 1).padStart(3, "0")}`),
    );
    const dates = emails.map((e) => Date.parse(e.date));
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    // The first fortnight of December 2026, in the owner's time zone (Africa/Porto-Novo, UTC+1).
    for (const e of emails) expect(e.date, e.id).toMatch(/^2026-12-(0[1-9]|1[0-5])T.*\+01:00$/);
    const counts = PRIORITIES.map((label) => emails.filter((e) => e.label === label).length);
    expect(counts).toEqual([...expected.counts]);
    for (const count of counts) {
      expect(count / emails.length).toBeGreaterThanOrEqual(0.15);
      expect(count / emails.length).toBeLessThanOrEqual(0.35);
    }
  });

  it("is stamped by Gmail, for the From domain where it names one", () => {
    for (const e of emails) {
      expect(setEmailHeader(e, "Message-ID"), e.id).toBeDefined();
      expect(auth(e), e.id).toMatch(GOOGLE_AR);
      const from = /header\.from=([\w.-]+)/.exec(auth(e))?.[1];
      if (from !== undefined) expect(from, e.id).toBe(fromDomain(e));
    }
  });

  it("answers in threads only to mail the owner sent or to another email of the split (spam may forge)", () => {
    const own = new Set(messageIds(emails));
    const replies = emails.filter((e) => setEmailHeader(e, "In-Reply-To") && e.label !== "spam");
    for (const e of replies) {
      const parent = header(e, "In-Reply-To");
      expect(sent.has(parent) || own.has(parent), e.id).toBe(true);
      expect(header(e, "References").split(/\s+/), e.id).toContain(parent);
    }
    expect(replies.filter((e) => sent.has(header(e, "In-Reply-To"))).length).toBeGreaterThanOrEqual(8);
    expect(replies.some((e) => own.has(header(e, "In-Reply-To")))).toBe(true);
    expect(emails.some((e) => e.label === "spam" && setEmailHeader(e, "In-Reply-To"))).toBe(true);
  });

  it("covers the relationships, authentication results and addressing the judgement depends on", () => {
    const internal = emails.filter((e) => fromDomain(e) === ownerDomain);
    expect(internal.filter((e) => dmarc(e) === "pass").length).toBeGreaterThanOrEqual(5);
    // A spoofed colleague: the internal domain from outside, failing DMARC.
    expect(internal.some((e) => dmarc(e) === "fail")).toBe(true);
    expect(emails.filter((e) => fromDomain(e) !== ownerDomain && known(e)).length).toBeGreaterThanOrEqual(10);
    expect(emails.filter((e) => fromDomain(e) !== ownerDomain && !known(e)).length).toBeGreaterThanOrEqual(
      25,
    );
    // A known correspondent authenticated by SPF alone (no DKIM, no DMARC result).
    expect(emails.some((e) => known(e) && !/dkim=/.test(auth(e)) && dmarc(e) === "none")).toBe(true);
    expect(emails.some((e) => e.from === "")).toBe(true);
    // Public authorities writing first (tax, customs, social security, calls for tenders).
    expect(emails.filter((e) => /\.gouv\.bj$/.test(fromDomain(e))).length).toBeGreaterThanOrEqual(3);
    // Lookalikes: a domain a character or two off a correspondent's, never equal to it.
    expect(
      emails.filter((e) =>
        correspondentDomains.some((d) => d !== fromDomain(e) && distance(d, fromDomain(e)) <= 2),
      ).length,
    ).toBeGreaterThanOrEqual(1);
    // Signed and SPF-valid for a sending platform, not for the From domain.
    expect(
      emails.filter((e) => {
        const d = /dkim=pass header\.i=@([\w.-]+)/.exec(auth(e))?.[1];
        return d !== undefined && !fromDomain(e).endsWith(d) && !d.endsWith(fromDomain(e));
      }).length,
    ).toBeGreaterThanOrEqual(3);
    expect(emails.filter((e) => e.cc.includes(owner)).length).toBeGreaterThanOrEqual(2);
    expect(emails.some((e) => !e.to.includes(owner) && !e.cc.includes(owner))).toBe(true);
    expect(emails.some((e) => e.to.length === 0)).toBe(true);
    expect(
      emails.filter((e) => /@(gmail|yahoo|outlook|hotmail)\./.test(header(e, "Reply-To"))).length,
    ).toBeGreaterThanOrEqual(2);
    expect(emails.some((e) => header(e, "Auto-Submitted") === "auto-replied")).toBe(true);
    expect(
      emails.filter((e) => header(e, "Auto-Submitted") === "auto-generated").length,
    ).toBeGreaterThanOrEqual(6);
    expect(emails.some((e) => setEmailHeader(e, "List-Unsubscribe") && e.label === "informational")).toBe(
      true,
    );
    expect(emails.some((e) => setEmailHeader(e, "List-Unsubscribe") && e.label === "spam")).toBe(true);
    expect(emails.some((e) => setEmailHeader(e, "List-Id"))).toBe(true);
    expect(emails.filter((e) => /^\s*<html[\s>]/i.test(e.text)).length).toBeGreaterThanOrEqual(3);
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

describe(`${NAME} as a whole`, () => {
  it("has unique ids and Message-IDs across its splits, none of them one the owner sent", () => {
    const all = [...set.dev, ...set.holdout];
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    expect(new Set(messageIds(all)).size).toBe(all.length);
    for (const id of messageIds(all)) expect(sent.has(id), id).toBe(false);
  });

  it("keeps the profile on Google, free of free-mail domains and of the owner's own address", () => {
    expect(set.profile.host).toBe("google");
    expect(set.profile.correspondents).not.toContain(owner);
    for (const c of set.profile.correspondents) expect(c).not.toMatch(/^@(gmail|yahoo|outlook|hotmail)\./);
    expect(new Set(set.profile.sentMessageIds).size).toBe(set.profile.sentMessageIds.length);
  });
});
