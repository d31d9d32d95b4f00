import { SubmitButton } from "@/app/_components/submit-button";
import {
  deleteAutoReplyRuleAction,
  saveAutoReplyRuleAction,
  setAutoReplyRuleEnabledAction,
} from "@/app/_lib/actions/auto-replies";
import { type AutoReplySettingsView, hhmm } from "@/app/_lib/auto-replies-core";
import type { ReplySettingsView } from "@/app/_lib/replies-core";
import { timeZoneLabel } from "@/app/_lib/time-zones";
import type { Viewer } from "@/app/_lib/viewer";
import { categorySchema } from "@/lib/analysis/schema";
import { AUTO_REPLY_HOURS, type AutoReplyRule } from "@/lib/db/auto-replies";
import { translator } from "@/lib/i18n/catalogue";

const BACK = "/settings#auto-replies";
const SAFEGUARDS = ["autoSubmitted", "lists", "noreply", "spam", "firstContact", "own", "marked"] as const;
const MIN_PRIORITIES = ["critical", "important", "informational"] as const;

type Props = { viewer: Viewer; settings: AutoReplySettingsView };

function RuleForm({ viewer, settings, rule }: Props & { rule: AutoReplyRule | null }) {
  const tr = translator(viewer.locale, "replies");
  const { t } = viewer;
  const key = rule?.id ?? "new";
  const id = (field: string) => `ar-${field}-${key}`;
  const current = settings.templates.find((tpl) => tpl.id === rule?.templateId);
  const choices =
    current && !current.approved ? [...settings.approvedTemplates, current] : settings.approvedTemplates;
  return (
    <form action={saveAutoReplyRuleAction} className="stack" data-testid={`auto-reply-rule-${key}`}>
      <input type="hidden" name="returnTo" value={BACK} />
      {rule && <input type="hidden" name="id" value={rule.id} />}
      <fieldset className="stack">
        <fieldset>
          <legend>{tr("auto.which")}</legend>
          <div className="inline-form">
            <div className="field">
              <label htmlFor={id("sender")}>{tr("auto.sender")}</label>
              <input
                id={id("sender")}
                name="senderPattern"
                maxLength={320}
                placeholder={tr("auto.senderPlaceholder")}
                defaultValue={rule?.senderPattern ?? ""}
              />
            </div>
            <div className="field">
              <label htmlFor={id("category")}>{tr("auto.category")}</label>
              <select id={id("category")} name="category" defaultValue={rule?.category ?? ""}>
                <option value="">{tr("auto.anyCategory")}</option>
                {categorySchema.options.map((c) => (
                  <option key={c} value={c}>
                    {t(`category.${c}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={id("priority")}>{tr("auto.minPriority")}</label>
              <select id={id("priority")} name="minPriority" defaultValue={rule?.minPriority ?? "important"}>
                {MIN_PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {t(`priority.${p}`)}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <label className="checkbox">
            <input type="checkbox" name="vipOnly" defaultChecked={rule?.vipOnly ?? false} />{" "}
            {tr("auto.vipOnly")}
          </label>
        </fieldset>
        <fieldset>
          <legend>{tr("auto.when")}</legend>
          {AUTO_REPLY_HOURS.map((h) => (
            <label key={h} className="check">
              <input
                type="radio"
                name="hours"
                value={h}
                defaultChecked={(rule?.hours ?? "outside_work") === h}
                data-testid={`${id("hours")}-${h}`}
              />{" "}
              {tr(`auto.hours.${h}`)}
            </label>
          ))}
          <div className="inline-form">
            <div className="field">
              <label htmlFor={id("start")}>{tr("auto.workStart")}</label>
              <input
                id={id("start")}
                name="workStart"
                type="time"
                defaultValue={hhmm(rule?.workStartMinute ?? 480)}
              />
            </div>
            <div className="field">
              <label htmlFor={id("end")}>{tr("auto.workEnd")}</label>
              <input
                id={id("end")}
                name="workEnd"
                type="time"
                defaultValue={hhmm(rule?.workEndMinute ?? 1080)}
              />
            </div>
          </div>
          <p className="hint">
            {tr("auto.workHint", { timezone: timeZoneLabel(viewer.timeZone, viewer.locale) })}
          </p>
          <p className="hint">{tr("auto.quietHint")}</p>
        </fieldset>
        <fieldset>
          <legend>{tr("auto.what")}</legend>
          <div className="field">
            <label htmlFor={id("template")}>{tr("auto.template")}</label>
            <select id={id("template")} name="templateId" required defaultValue={rule?.templateId}>
              {choices.map((tpl) => (
                <option key={tpl.id} value={tpl.id}>
                  {tpl.approved ? tpl.title : tr("auto.notApproved", { title: tpl.title })} ({tpl.locale})
                </option>
              ))}
            </select>
          </div>
          {current && !current.approved && <p className="hint">{tr("auto.inactiveTemplate")}</p>}
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" name="enabled" defaultChecked={rule?.enabled ?? true} /> {tr("auto.enabled")}
        </label>
        <SubmitButton className="button">{rule ? tr("auto.save") : tr("auto.add")}</SubmitButton>
      </fieldset>
    </form>
  );
}

function describeRule(viewer: Viewer, settings: AutoReplySettingsView, rule: AutoReplyRule) {
  const tr = translator(viewer.locale, "replies");
  const { t } = viewer;
  const template = settings.templates.find((tpl) => tpl.id === rule.templateId);
  return [
    rule.senderPattern ?? tr("auto.summary.anySender"),
    ...(rule.vipOnly ? [tr("auto.summary.vip")] : []),
    ...(rule.category ? [t(`category.${rule.category}`)] : []),
    tr("auto.summary.priority", { priority: t(`priority.${rule.minPriority}`) }),
    tr(`auto.hours.${rule.hours}`),
    `« ${template?.title ?? "?"} »`,
  ].join(" · ");
}

/**
 * Settings › Réponses automatiques: the safeguards no rule lifts and the limits, said first; then
 * each rule (edit, switch off, delete) and a form for a new one.
 */
export function AutoReplySettings({
  viewer,
  settings,
  mailboxes,
}: Props & { mailboxes: ReplySettingsView["mailboxes"] }) {
  const tr = translator(viewer.locale, "replies");
  const count = (mailboxId: string) => settings.sentToday.find((s) => s.mailboxId === mailboxId)?.count ?? 0;
  return (
    <>
      <p className="hint">{tr("auto.hint")}</p>
      <h3>{tr("auto.safeguardsTitle")}</h3>
      <p>{tr("auto.safeguardsHint")}</p>
      <ul data-testid="auto-reply-safeguards">
        {SAFEGUARDS.map((s) => (
          <li key={s}>{tr(`auto.safeguards.${s}`)}</li>
        ))}
      </ul>
      <p data-testid="auto-reply-limits">
        {tr("auto.limits", { days: settings.intervalDays, cap: settings.dailyCap })}
      </p>
      <ul className="rule-list">
        {mailboxes.map((m) => (
          <li key={m.id} className="muted">
            {m.canSend
              ? tr("auto.sentToday", { address: m.address, count: count(m.id), cap: settings.dailyCap })
              : tr("auto.noOutlookSend", { address: m.address })}
          </li>
        ))}
      </ul>
      <h3>{tr("auto.rulesTitle")}</h3>
      {settings.rules.length === 0 && <p className="muted">{tr("auto.none")}</p>}
      {settings.rules.map((rule) => (
        <details key={rule.id} className="rule-group" data-testid={`auto-reply-${rule.id}`}>
          <summary>
            <strong>{rule.enabled ? tr("auto.on") : tr("auto.off")}</strong> —{" "}
            {describeRule(viewer, settings, rule)}
          </summary>
          <RuleForm viewer={viewer} settings={settings} rule={rule} />
          <div className="inline-form">
            <form action={setAutoReplyRuleEnabledAction}>
              <input type="hidden" name="returnTo" value={BACK} />
              <input type="hidden" name="id" value={rule.id} />
              {!rule.enabled && <input type="hidden" name="enabled" value="on" />}
              <SubmitButton className="link-button">
                {rule.enabled ? tr("auto.disable") : tr("auto.enable")}
              </SubmitButton>
            </form>
            <form action={deleteAutoReplyRuleAction}>
              <input type="hidden" name="returnTo" value={BACK} />
              <input type="hidden" name="id" value={rule.id} />
              <SubmitButton className="link-button">{tr("auto.delete")}</SubmitButton>
            </form>
          </div>
        </details>
      ))}
      <h3>{tr("auto.newTitle")}</h3>
      {settings.approvedTemplates.length === 0 ? (
        <p className="muted">{tr("auto.noApproved")}</p>
      ) : (
        <RuleForm viewer={viewer} settings={settings} rule={null} />
      )}
    </>
  );
}
