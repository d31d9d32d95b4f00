import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadSet, loadSetSplit, type SetEmail, setEmailHeader, setSplits } from "@/lib/samples/sets/load-set";
import { expectMimeRoundTrip } from "@/lib/samples/sets/round-trip-check";

const NAME = "sahel-2026";
const set = loadSet(NAME);
const emails = set.holdout;
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

// Exchange Online's stamp: no authserv-id; "sender IP is", "(signature was verified)", action= and
// compauth= (Microsoft Learn, "Anti-spam message headers in Microsoft 365"). Mail that stays inside
// the tenant carries no SPF part and no compauth.
const EXTERNAL_AR =
  /^spf=(pass|fail|softfail|none|neutral) \(sender IP is [\d.]+\) smtp\.mailfrom=[\w.-]+; dkim=(pass \(signature was verified\) header\.d=[\w.-]+|none \(message not signed\) header\.d=none|fail \(body hash did not verify\) header\.d=[\w.-]+);dmarc=(pass|fail|bestguesspass|none) action=(none|quarantine|reject|oreject) header\.from=[\w.-]*;compauth=(pass|fail|softpass|none) reason=\d{3}$/;
const INTERNAL_AR = `dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=${ownerDomain};`;

describe(`${NAME}: a blind set with a holdout split only`, () => {
  it("has only holdout.jsonl, 72 emails b-001…b-072 in date order, 16/18/20/18", () => {
    expect(setSplits(NAME)).toEqual(["holdout"]);
    expect(set.dev).toEqual([]);
    expect(emails.map((e) => e.id)).toEqual(
      Array.from({ length: 72 }, (_, i) => `b-${String(i + 1).padStart(3, "0")}`),
    );
    const dates = emails.map((e) => Date.parse(e.date));
    expect([...dates].sort((a, b) => a - b)).toEqual(dates);
    const count = (label: string) => emails.filter((e) => e.label === label).length;
    expect([count("critical"), count("important"), count("informational"), count("spam")]).toEqual([
      16, 18, 20, 18,
    ]);
  });

  it("is stamped by Exchange Online: internal mail as AuthAs Internal, every other mail in Microsoft's format", () => {
    for (const e of emails) {
      expect(setEmailHeader(e, "Message-ID"), e.id).toBeDefined();
      const internal = header(e, "X-MS-Exchange-Organization-AuthAs") === "Internal";
      expect(header(e, "X-MS-Exchange-Organization-AuthAs"), e.id).toMatch(/^(Internal|Anonymous)$/);
      if (internal) {
        expect(fromDomain(e), e.id).toBe(ownerDomain);
        expect(auth(e), e.id).toBe(INTERNAL_AR);
      } else expect(auth(e), e.id).toMatch(EXTERNAL_AR);
      const from = /header\.from=([\w.-]*);/.exec(auth(e))?.[1];
      expect(from, e.id).toBe(fromDomain(e));
    }
  });

  it("answers in threads only to mail the owner sent or to another email of the set (spam may forge)", () => {
    const own = new Set(emails.map((e) => setEmailHeader(e, "Message-ID")));
    const replies = emails.filter((e) => setEmailHeader(e, "In-Reply-To") && e.label !== "spam");
    for (const e of replies) {
      const parent = header(e, "In-Reply-To");
      expect(sent.has(parent) || own.has(parent), e.id).toBe(true);
      expect(header(e, "References").split(/\s+/), e.id).toContain(parent);
    }
    expect(replies.filter((e) => sent.has(header(e, "In-Reply-To"))).length).toBeGreaterThanOrEqual(8);
    expect(emails.some((e) => e.label === "spam" && setEmailHeader(e, "In-Reply-To"))).toBe(true);
  });

  it("covers the relationships, authentication results and addressing the judgement depends on", () => {
    const internal = emails.filter((e) => fromDomain(e) === ownerDomain);
    expect(
      internal.filter((e) => header(e, "X-MS-Exchange-Organization-AuthAs") === "Internal").length,
    ).toBeGreaterThanOrEqual(5);
    // A spoofed colleague: the internal domain, from outside the tenant, failing DMARC.
    expect(
      internal.some(
        (e) => dmarc(e) === "fail" && header(e, "X-MS-Exchange-Organization-AuthAs") === "Anonymous",
      ),
    ).toBe(true);
    expect(emails.filter((e) => fromDomain(e) !== ownerDomain && known(e)).length).toBeGreaterThanOrEqual(12);
    expect(emails.filter((e) => fromDomain(e) !== ownerDomain && !known(e)).length).toBeGreaterThanOrEqual(
      30,
    );
    expect(emails.some((e) => known(e) && dmarc(e) === "bestguesspass")).toBe(true);
    expect(emails.some((e) => e.from === "")).toBe(true);
    // Lookalikes: a domain a character or two off a correspondent's, never equal to it.
    expect(
      emails.filter((e) =>
        correspondentDomains.some((d) => d !== fromDomain(e) && distance(d, fromDomain(e)) <= 2),
      ).length,
    ).toBeGreaterThanOrEqual(1);
    // Signed and SPF-valid for a sending platform, not for the From domain.
    expect(
      emails.some((e) => {
        const d = /dkim=pass \(signature was verified\) header\.d=([\w.-]+)/.exec(auth(e))?.[1];
        return d !== undefined && !fromDomain(e).endsWith(d) && !d.endsWith(fromDomain(e));
      }),
    ).toBe(true);
    expect(emails.filter((e) => e.cc.includes(owner)).length).toBeGreaterThanOrEqual(2);
    expect(emails.some((e) => e.cc.length > 0 && e.to.includes(owner))).toBe(true);
    expect(emails.some((e) => !e.to.includes(owner) && !e.cc.includes(owner))).toBe(true);
    expect(emails.some((e) => e.to.length === 0)).toBe(true);
    expect(
      emails.filter((e) => /@(gmail|yahoo|outlook|hotmail)\./.test(header(e, "Reply-To"))).length,
    ).toBeGreaterThanOrEqual(3);
    expect(emails.some((e) => header(e, "Auto-Submitted") === "auto-replied")).toBe(true);
    expect(
      emails.filter((e) => header(e, "Auto-Submitted") === "auto-generated").length,
    ).toBeGreaterThanOrEqual(8);
    expect(emails.some((e) => setEmailHeader(e, "List-Unsubscribe") && e.label === "informational")).toBe(
      true,
    );
    expect(emails.some((e) => setEmailHeader(e, "List-Unsubscribe") && e.label === "spam")).toBe(true);
    expect(emails.filter((e) => /^\s*<html[\s>]/i.test(e.text)).length).toBeGreaterThanOrEqual(5);
  });

  it("has two or three injection attempts, none labelled above informational", () => {
    const injections = emails.filter((e) => e.injection);
    expect(injections.length).toBeGreaterThanOrEqual(2);
    expect(injections.length).toBeLessThanOrEqual(3);
    for (const e of injections) expect(["informational", "spam"], e.id).toContain(e.label);
  });

  it("has unique Message-IDs, none of them one the owner sent, and a profile without free mail or the owner", () => {
    const ids = emails.map((e) => header(e, "Message-ID"));
    expect(new Set(ids).size).toBe(emails.length);
    for (const id of ids) expect(sent.has(id), id).toBe(false);
    expect(set.profile.correspondents).not.toContain(owner);
    for (const c of set.profile.correspondents) expect(c).not.toMatch(/^@(gmail|yahoo|outlook|hotmail)\./);
  });

  it("round-trips every email through an independent MIME parser", async () => {
    for (const e of emails) await expectMimeRoundTrip(e);
  });
});

describe("loadSet on a set with a holdout split only", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "set-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const line = JSON.stringify(emails[0]);

  it("refuses a folder with no split file", () => {
    writeFileSync(path.join(dir, "profile.json"), JSON.stringify(set.profile));
    expect(() => setSplits(dir)).toThrow(/no dev\.jsonl or holdout\.jsonl/);
  });

  it("loads the holdout split alone and keeps b- ids out of dev", () => {
    writeFileSync(path.join(dir, "holdout.jsonl"), `${line}\n`);
    expect(setSplits(dir)).toEqual(["holdout"]);
    expect(loadSet(dir)).toMatchObject({ dev: [], holdout: [{ id: "b-001" }] });
    writeFileSync(path.join(dir, "dev.jsonl"), `${line}\n`);
    expect(() => loadSetSplit("dev", dir)).toThrow(/dev\.jsonl:1: id b-001 should start with d-/);
  });
});
