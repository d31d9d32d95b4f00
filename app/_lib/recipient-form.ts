import { z } from "zod";
import { timeToMinutes } from "@/app/_lib/format";
import { categorySchema } from "@/lib/analysis/schema";
import { isTimeZone } from "@/lib/channels/format-values";
import { localeEnum, priorityEnum } from "@/lib/db/schemas";
import { normalizePhone } from "@/lib/domain/phone";

/*
 * The recipient forms' fields, parsed from FormData. A checkbox that is not ticked is absent from
 * the form, so booleans are "present or not"; times come as HH:MM (empty = no quiet hours).
 */

const checkbox = z.preprocess((v) => v === "on" || v === "true", z.boolean());
const time = z.preprocess((v) => timeToMinutes(typeof v === "string" ? v : null), z.number().nullable());

export const newRecipientSchema = z.object({
  name: z.string().trim().min(1, "name").max(120, "name"),
  phone: z.string().transform((v, ctx) => {
    const e164 = normalizePhone(v);
    if (!e164) {
      ctx.addIssue({ code: "custom", message: "phone" });
      return z.NEVER;
    }
    return e164;
  }),
  role: z.enum(["owner", "manager", "member"]).catch("owner"),
  escalationTarget: checkbox,
});

/** An e-mail recipient: the address in lower case (what the channel compares and sends to). */
export const newEmailRecipientSchema = z.object({
  name: z.string().trim().min(1, "name").max(120, "name"),
  email: z.string().trim().toLowerCase().pipe(z.email("email").max(254, "email")),
  role: z.enum(["owner", "manager", "member"]).catch("member"),
  escalationTarget: checkbox,
});

export const recipientSettingsSchema = z.object({
  name: z.string().trim().min(1, "name").max(120, "name"),
  minPriority: priorityEnum,
  categories: z.array(categorySchema),
  quietStartMinute: time,
  quietEndMinute: time,
  criticalBypassesQuiet: checkbox,
  timezone: z.string().refine(isTimeZone, "timezone"),
  locale: localeEnum,
  escalationDelayMinutes: z.coerce.number().int().min(1, "delay").max(1440, "delay"),
  escalationTarget: checkbox,
  digestEnabled: checkbox,
  digestHour: z.coerce.number().int().min(0).max(23),
});
export type RecipientSettings = z.infer<typeof recipientSettingsSchema>;

/** The alert preferences of the onboarding, applied to every recipient. */
export const preferencesSchema = z.object({
  minPriority: priorityEnum,
  quietStartMinute: time,
  quietEndMinute: time,
  timezone: z.string().refine(isTimeZone, "timezone"),
  locale: localeEnum,
});
export type Preferences = z.infer<typeof preferencesSchema>;

/** FormData as a plain object; repeated fields (checkbox groups) become arrays. */
export function formObject(form: FormData, arrays: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    if (key.startsWith("$")) continue; // React's action bookkeeping
    out[key] = arrays.includes(key) ? form.getAll(key).map(String) : String(form.get(key));
  }
  for (const key of arrays) out[key] ??= [];
  return out;
}

/** The first problem, as a catalogue key under `errors.` (the issue message names the field). */
export function firstIssue(error: z.ZodError): string {
  const message = error.issues[0]?.message ?? "";
  return /^[a-z]+$/.test(message) ? message : "invalid";
}
