import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userErrorKey } from "@/app/_lib/action-helpers";
import {
  autoReplySettings,
  parseRuleForm,
  type RuleForm,
  removeRule,
  saveRule,
  setRuleEnabled,
} from "@/app/_lib/auto-replies-core";
import { getSessionUser, type SessionUser } from "@/lib/db/accounts";
import { listAudit } from "@/lib/db/audit";
import type { PGliteDb } from "@/lib/db/pglite";
import { getReplySettings, type ReplyTemplate, saveReplyTemplate } from "@/lib/db/replies";
import { isAppError } from "@/lib/errors/app-error";
import { DEFAULT_REPLY_TEMPLATES } from "@/lib/replies/defaults";
import { testDb } from "@/lib/testing/db";
import { createAccount } from "@/lib/testing/pipeline-fixtures";

/** Settings › Réponses automatiques: what the server actions run, with what a browser would post. */

let db: PGliteDb;
let user: SessionUser;
let stranger: SessionUser;
let approved: ReplyTemplate;
let unapproved: ReplyTemplate;

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};
const ruleFrom = (fields: Record<string, string>): RuleForm => {
  const parsed = parseRuleForm(form(fields));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.rule;
};
const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (e: unknown) => (isAppError(e) ? e.status : 500),
  );

beforeAll(async () => {
  db = await testDb();
  user = (await getSessionUser(db, (await createAccount(db)).userId))!;
  stranger = (await getSessionUser(db, (await createAccount(db)).userId))!;
  const { templates } = await getReplySettings(db, user.organizationId, DEFAULT_REPLY_TEMPLATES);
  const [first, second] = templates.filter((t) => t.locale === "fr");
  approved = await saveReplyTemplate(db, user.organizationId, "user:test", { id: first!.id, approved: true });
  unapproved = second!;
});
afterAll(() => db.close());

describe("automatic-reply rules from Settings", () => {
  it("creates a rule from the form: sender domain, VIP, category, priority, hours, template", async () => {
    const rule = await saveRule(
      db,
      user,
      ruleFrom({
        templateId: approved.id,
        enabled: "on",
        senderPattern: " @Client.CI ",
        vipOnly: "on",
        category: "contract",
        minPriority: "critical",
        hours: "outside_work",
        workStart: "07:30",
        workEnd: "17:45",
      }),
    );
    expect(rule).toMatchObject({
      templateId: approved.id,
      enabled: true,
      senderPattern: "@client.ci",
      vipOnly: true,
      category: "contract",
      minPriority: "critical",
      hours: "outside_work",
      workStartMinute: 450,
      workEndMinute: 1065,
    });
    const view = await autoReplySettings(db, user, [approved, unapproved]);
    expect(view).toMatchObject({ intervalDays: 4, dailyCap: 20, sentToday: [] });
    expect(view.rules.map((r) => r.id)).toContain(rule.id);
    expect(view.approvedTemplates.map((t) => t.id)).toEqual([approved.id]);
    const audit = await listAudit(db, user.organizationId);
    expect(audit.find((a) => a.action === "auto_reply.rule_saved" && a.target === rule.id)).toBeDefined();
  });

  it("edits a rule in place, switches it off and on, and deletes it", async () => {
    const created = await saveRule(
      db,
      user,
      ruleFrom({ templateId: approved.id, enabled: "on", minPriority: "important", hours: "always" }),
    );
    const edited = await saveRule(
      db,
      user,
      ruleFrom({
        id: created.id,
        templateId: approved.id,
        senderPattern: "dg@client.ci",
        minPriority: "important",
        hours: "quiet_hours",
        category: "",
      }),
    );
    expect(edited).toMatchObject({
      id: created.id,
      senderPattern: "dg@client.ci",
      hours: "quiet_hours",
      category: null,
      enabled: false,
    });
    expect((await setRuleEnabled(db, user, created.id, true)).enabled).toBe(true);
    expect((await setRuleEnabled(db, user, created.id, false)).enabled).toBe(false);
    await removeRule(db, user, created.id);
    const view = await autoReplySettings(db, user, []);
    expect(view.rules.map((r) => r.id)).not.toContain(created.id);
  });

  it("refuses a form it cannot save with a 400 naming what to fix", async () => {
    const base = { templateId: approved.id, minPriority: "important", hours: "always" };
    const errorOf = (fields: Record<string, string>) => {
      const parsed = parseRuleForm(form({ ...base, ...fields }));
      return parsed.ok ? null : parsed.error;
    };
    expect(errorOf({})).toBeNull();
    expect(errorOf({ senderPattern: "pas une adresse" })).toBe("pattern");
    expect(errorOf({ senderPattern: "a@b@c.ci" })).toBe("pattern");
    expect(errorOf({ workStart: "18:00", workEnd: "08:00" })).toBe("autoReplyWorkHours");
    expect(errorOf({ workStart: "25:00" })).toBe("autoReplyWorkHours");
    expect(errorOf({ hours: "weekends" })).toBe("invalid");
    expect(errorOf({ minPriority: "spam" })).toBe("invalid");
    expect(errorOf({ category: "gossip" })).toBe("invalid");
    expect(errorOf({ templateId: "" })).toBe("autoReplyTemplate");

    // A template the user has not approved: a rule with it would never answer, so it is refused.
    const error = await saveRule(db, user, ruleFrom({ ...base, templateId: unapproved.id })).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error) && error.status).toBe(400);
    expect(userErrorKey(error)).toBe("autoReplyTemplate");
  });

  it("is not found from another organization: its rules and templates are not reachable", async () => {
    const rule = await saveRule(
      db,
      user,
      ruleFrom({ templateId: approved.id, enabled: "on", minPriority: "important", hours: "always" }),
    );
    const theirs = { templateId: approved.id, enabled: "on", minPriority: "important", hours: "always" };
    expect(await status(saveRule(db, stranger, ruleFrom(theirs)))).toBe(404);
    expect(await status(saveRule(db, stranger, ruleFrom({ ...theirs, id: rule.id })))).toBe(404);
    expect(await status(setRuleEnabled(db, stranger, rule.id, false))).toBe(404);
    expect(await status(removeRule(db, stranger, rule.id))).toBe(404);
    expect(userErrorKey(await removeRule(db, stranger, rule.id).catch((e: unknown) => e))).toBe("notFound");
    const mine = await autoReplySettings(db, user, []);
    expect(mine.rules.find((r) => r.id === rule.id)).toMatchObject({ enabled: true });
    expect((await autoReplySettings(db, stranger, [])).rules).toEqual([]);
  });
});
