import { z } from "zod";
import { actorOf } from "@/app/_lib/account-locale";
import { textField } from "@/app/_lib/form-action";
import { categorySchema } from "@/lib/analysis/schema";
import type { SessionUser } from "@/lib/db/accounts";
import {
  AUTO_REPLY_HOURS,
  type AutoReplyRule,
  deleteAutoReplyRule,
  getAutoReplyOverview,
  saveAutoReplyRule,
} from "@/lib/db/auto-replies";
import type { Db } from "@/lib/db/port";
import { getReplySettings, type ReplyTemplate } from "@/lib/db/replies";
import { badRequest } from "@/lib/errors/app-error";
import { DEFAULT_REPLY_TEMPLATES } from "@/lib/replies/defaults";

/*
 * Settings › Réponses automatiques. Ids of another organization are "not found" (404, from SQL,
 * which checks the organization on every row it reads or changes); a form the schema refuses is a
 * 400 naming what to fix. The safeguards and limits are not fields: no form can lift them. (Every
 * user of an organization is its owner signed in through another provider, so there is no role
 * to refuse with a 403; a form posted from another site gets its 403 from server-action-guard.)
 */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Minutes of "HH:MM", or NaN (zod runs refinements past a failed field: that field says why). */
const minutesOf = (hhmm: string) => {
  const match = HHMM.exec(hhmm);
  return match ? Number(match[1]) * 60 + Number(match[2]) : Number.NaN;
};

/** "HH:MM" of a minute of the day, for the form's time inputs. */
export const hhmm = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

const SENDER = /^(?:[^@\s]+@|@)[^@\s]+\.[^@\s]+$/;

/** The rule form; issue messages are `errors.*` keys of the web catalogue. */
export const ruleFormSchema = z
  .object({
    id: z.uuid("notFound").optional(),
    templateId: z.uuid("autoReplyTemplate"),
    enabled: z.boolean(),
    senderPattern: z
      .string()
      .trim()
      .toLowerCase()
      .max(320, "pattern")
      .refine((s) => s === "" || SENDER.test(s), "pattern"),
    vipOnly: z.boolean(),
    category: z.union([z.literal(""), categorySchema], "invalid"),
    minPriority: z.enum(["critical", "important", "informational"], "invalid"),
    hours: z.enum(AUTO_REPLY_HOURS, "invalid"),
    workStart: z.string().regex(HHMM, "autoReplyWorkHours"),
    workEnd: z.string().regex(HHMM, "autoReplyWorkHours"),
  })
  .refine((r) => !(minutesOf(r.workStart) >= minutesOf(r.workEnd)), {
    message: "autoReplyWorkHours",
    path: ["workEnd"],
  })
  .transform(({ workStart, workEnd, ...r }) => ({
    ...r,
    category: r.category === "" ? null : r.category,
    workStartMinute: minutesOf(workStart),
    workEndMinute: minutesOf(workEnd),
  }));
export type RuleForm = z.output<typeof ruleFormSchema>;

/** The rule a submitted form describes, or the catalogue key of what to fix. */
export function parseRuleForm(form: FormData): { ok: true; rule: RuleForm } | { ok: false; error: string } {
  const id = textField(form, "id");
  const parsed = ruleFormSchema.safeParse({
    ...(id ? { id } : {}),
    templateId: textField(form, "templateId"),
    enabled: textField(form, "enabled") === "on",
    senderPattern: textField(form, "senderPattern"),
    vipOnly: textField(form, "vipOnly") === "on",
    category: textField(form, "category"),
    minPriority: textField(form, "minPriority"),
    hours: textField(form, "hours"),
    workStart: textField(form, "workStart") || "08:00",
    workEnd: textField(form, "workEnd") || "18:00",
  });
  return parsed.success
    ? { ok: true, rule: parsed.data }
    : { ok: false, error: parsed.error.issues[0]?.message ?? "invalid" };
}

/** The rules with the limits no rule lifts, and which templates a rule may use (approved ones). */
export async function autoReplySettings(db: Db, user: SessionUser, templates: ReplyTemplate[]) {
  const overview = await getAutoReplyOverview(db, user.organizationId);
  return {
    ...overview,
    approvedTemplates: templates.filter((t) => t.approved),
    templates,
  };
}
export type AutoReplySettingsView = Awaited<ReturnType<typeof autoReplySettings>>;

/**
 * Saves a new or edited rule. The template must be one of the organization's approved texts: an
 * unapproved one is refused (400) rather than saved as a rule that would silently never answer;
 * one that is not in the organization's list is another's or gone, and SQL answers 404.
 */
export async function saveRule(db: Db, user: SessionUser, rule: RuleForm): Promise<AutoReplyRule> {
  const { templates } = await getReplySettings(db, user.organizationId, DEFAULT_REPLY_TEMPLATES);
  if (templates.find((t) => t.id === rule.templateId)?.approved === false)
    throw badRequest("The reply template is not approved.", { key: "autoReplyTemplate" });
  const { id, ...fields } = rule;
  return saveAutoReplyRule(db, user.organizationId, actorOf(user), id ? { id, ...fields } : fields);
}

/** Switches a rule off (nothing more is sent by it) or on again. */
export async function setRuleEnabled(db: Db, user: SessionUser, ruleId: string, enabled: boolean) {
  return saveAutoReplyRule(db, user.organizationId, actorOf(user), { id: ruleId, enabled });
}

export async function removeRule(db: Db, user: SessionUser, ruleId: string) {
  return deleteAutoReplyRule(db, user.organizationId, ruleId, actorOf(user));
}
