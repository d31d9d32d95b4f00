import { minutesToTime } from "@/app/_lib/format";
import { timeZoneLabel, timeZoneOptions } from "@/app/_lib/time-zones";
import type { Viewer } from "@/app/_lib/viewer";
import { PRIORITIES } from "@/lib/analysis/schema";
import { LOCALES } from "@/lib/i18n/catalogue";

/**
 * What a recipient can ask to be alerted from: critical or important — informational mail is never
 * alerted (it goes to the digest), so "informational" is offered only to a recipient who has it
 * already, worded as what it does.
 */
export function minPriorityChoices(current: string) {
  return PRIORITIES.filter((p) => p !== "spam" && (p !== "informational" || current === "informational"));
}

/** Minimum priority, quiet hours, time zone and language: shared by onboarding and recipient settings. */
export function PreferenceFields({
  viewer,
  idPrefix,
  values,
}: {
  viewer: Viewer;
  idPrefix: string;
  values: {
    minPriority: string;
    quietStartMinute: number | null;
    quietEndMinute: number | null;
    timezone: string;
    locale: string;
  };
}) {
  const { t } = viewer;
  const id = (name: string) => `${idPrefix}-${name}`;
  return (
    <>
      <div className="field">
        <label htmlFor={id("min")}>{t("preferences.minPriority")}</label>
        <select
          id={id("min")}
          name="minPriority"
          defaultValue={values.minPriority}
          aria-describedby={id("min-hint")}
        >
          {minPriorityChoices(values.minPriority).map((p) => (
            <option key={p} value={p}>
              {t(`preferences.minPriorityOption.${p}`)}
            </option>
          ))}
        </select>
        <p id={id("min-hint")} className="hint">
          {t("preferences.minPriorityHint")}
        </p>
      </div>
      <fieldset className="field-row">
        <legend>{t("preferences.quietHours")}</legend>
        <div className="field">
          <label htmlFor={id("qs")}>{t("preferences.quietStart")}</label>
          <input
            id={id("qs")}
            name="quietStartMinute"
            type="time"
            defaultValue={minutesToTime(values.quietStartMinute)}
          />
        </div>
        <div className="field">
          <label htmlFor={id("qe")}>{t("preferences.quietEnd")}</label>
          <input
            id={id("qe")}
            name="quietEndMinute"
            type="time"
            defaultValue={minutesToTime(values.quietEndMinute)}
          />
        </div>
        <p className="hint">{t("preferences.quietHint")}</p>
      </fieldset>
      <div className="field">
        <label htmlFor={id("tz")}>{t("preferences.timezone")}</label>
        <select id={id("tz")} name="timezone" defaultValue={values.timezone}>
          {timeZoneOptions(values.timezone).map((z) => (
            <option key={z} value={z}>
              {timeZoneLabel(z, viewer.locale)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={id("lang")}>{t("preferences.language")}</label>
        <select id={id("lang")} name="locale" defaultValue={values.locale}>
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {t(`nav.languageName.${l}`)}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
