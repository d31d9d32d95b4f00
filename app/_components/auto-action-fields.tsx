import type { Viewer } from "@/app/_lib/viewer";

/** The automatic actions the user allows; nothing the analysis writes can add to them. */
export function AutoActionFields({
  viewer,
  values,
}: {
  viewer: Viewer;
  values: {
    autoLabel: boolean;
    autoMarkSpamRead: boolean;
    autoArchiveSpam: boolean;
    autoArchivePromotions: boolean;
  };
}) {
  const { t } = viewer;
  return (
    <fieldset className="stack">
      <legend className="sr-only">{t("autoActions.legend")}</legend>
      {(["autoLabel", "autoMarkSpamRead", "autoArchiveSpam", "autoArchivePromotions"] as const).map((k) => (
        <label key={k} className="checkbox checkbox-described">
          <input type="checkbox" name={k} defaultChecked={values[k]} data-testid={`auto-${k}`} />{" "}
          <span>
            <span className="checkbox-label">{t(`autoActions.${k}`)}</span>
            <span className="hint">{t(`autoActions.${k}Hint`)}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
