import { OptInPanel } from "@/app/_components/opt-in-panel";
import { PreferenceFields } from "@/app/_components/preference-fields";
import { RecipientStatus } from "@/app/_components/recipient-status";
import { SubmitButton } from "@/app/_components/submit-button";
import { removeRecipientAction, updateRecipientAction } from "@/app/_lib/actions/recipients";
import { dateTime, recipientAddress } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import { categorySchema } from "@/lib/analysis/schema";
import type { Recipient } from "@/lib/db/schemas";
import { isLocalMode } from "@/lib/env";

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** One recipient: status and opt-in, routing, quiet hours, language, escalation, digest, removal. */
export function RecipientSettings({
  viewer,
  recipient: r,
  returnTo,
}: {
  viewer: Viewer;
  recipient: Recipient;
  returnTo: string;
}) {
  const { t } = viewer;
  const id = (name: string) => `r-${r.id}-${name}`;
  return (
    <li className="recipient card-inner" data-testid="recipient" data-status={r.status}>
      <p className="recipient-title">
        <strong>{r.name}</strong> <span className="muted">{recipientAddress(r)}</span> ·{" "}
        {t(`recipients.roles.${r.role}`)} <RecipientStatus viewer={viewer} status={r.status} />
      </p>
      {r.status === "opted_in" && r.optedInAt && (
        <p className="muted">{t("recipients.optedInAt", { date: dateTime(viewer, r.optedInAt) })}</p>
      )}
      {r.status === "pending" && r.channel === "email" && (
        <p className="muted">{t("recipients.emailPending")}</p>
      )}
      {r.status !== "opted_in" && r.channel === "whatsapp" && (
        <OptInPanel recipientId={r.id} name={r.name} local={isLocalMode} />
      )}
      <details>
        <summary>{t("recipients.edit")}</summary>
        <form action={updateRecipientAction} className="stack">
          <input type="hidden" name="id" value={r.id} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <div className="field">
            <label htmlFor={id("name")}>{t("recipients.name")}</label>
            <input id={id("name")} name="name" defaultValue={r.name} required maxLength={120} />
          </div>
          <PreferenceFields viewer={viewer} idPrefix={`r-${r.id}`} values={r} />
          <label className="checkbox">
            <input type="checkbox" name="criticalBypassesQuiet" defaultChecked={r.criticalBypassesQuiet} />{" "}
            {t("recipients.criticalBypassesQuiet")}
          </label>
          <fieldset>
            <legend>{t("recipients.categories")}</legend>
            <p className="hint">{t("recipients.categoriesHint")}</p>
            <div className="checkbox-grid">
              {categorySchema.options.map((c) => (
                <label key={c} className="checkbox">
                  <input
                    type="checkbox"
                    name="categories"
                    value={c}
                    defaultChecked={r.categories?.includes(c) ?? false}
                  />{" "}
                  {t(`category.${c}`)}
                </label>
              ))}
            </div>
          </fieldset>
          <fieldset>
            <legend>{t("recipients.escalation")}</legend>
            <label className="checkbox">
              <input type="checkbox" name="escalationTarget" defaultChecked={r.escalationTarget} />{" "}
              {t("recipients.escalationTarget")}
            </label>
            <div className="field">
              <label htmlFor={id("delay")}>{t("recipients.escalationDelay")}</label>
              <input
                id={id("delay")}
                name="escalationDelayMinutes"
                type="number"
                min={1}
                max={1440}
                defaultValue={r.escalationDelayMinutes}
              />
            </div>
          </fieldset>
          <fieldset>
            <legend>{t("recipients.digest")}</legend>
            <label className="checkbox">
              <input type="checkbox" name="digestEnabled" defaultChecked={r.digestEnabled} />{" "}
              {t("recipients.digestEnabled")}
            </label>
            <div className="field">
              <label htmlFor={id("digest")}>{t("recipients.digestHour")}</label>
              <select id={id("digest")} name="digestHour" defaultValue={String(r.digestHour)}>
                {HOURS.map((h) => (
                  <option key={h} value={h}>
                    {String(h).padStart(2, "0")}:00
                  </option>
                ))}
              </select>
            </div>
          </fieldset>
          <SubmitButton className="button button-primary">{t("common.save")}</SubmitButton>
        </form>
        <form action={removeRecipientAction} className="remove-recipient">
          <input type="hidden" name="id" value={r.id} />
          <input type="hidden" name="returnTo" value={returnTo} />
          <SubmitButton className="button button-danger-ghost">
            {t("recipients.remove")}
            <span className="sr-only"> {r.name}</span>
          </SubmitButton>
        </form>
      </details>
    </li>
  );
}
