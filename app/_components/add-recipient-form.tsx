import { SubmitButton } from "@/app/_components/submit-button";
import { addRecipientAction } from "@/app/_lib/actions/recipients";
import type { Viewer } from "@/app/_lib/viewer";

/** Adds a WhatsApp recipient: the owner, or a designated manager (who can receive escalations). */
export function AddRecipientForm({
  viewer,
  returnTo,
  hasOwner,
}: {
  viewer: Viewer;
  returnTo: string;
  hasOwner: boolean;
}) {
  const { t } = viewer;
  return (
    <form action={addRecipientAction} className="stack add-recipient" data-testid="add-recipient">
      <input type="hidden" name="returnTo" value={returnTo} />
      <h3>{t("recipients.addTitle")}</h3>
      <div className="field">
        <label htmlFor="r-name">{t("recipients.name")}</label>
        <input id="r-name" name="name" required maxLength={120} autoComplete="name" />
      </div>
      <div className="field">
        <label htmlFor="r-phone">{t("recipients.phone")}</label>
        <input
          id="r-phone"
          name="phone"
          type="tel"
          required
          autoComplete="tel"
          inputMode="tel"
          placeholder="+225 07 07 12 34 56"
          aria-describedby="r-phone-hint"
        />
        <p id="r-phone-hint" className="hint">
          {t("recipients.phoneHint")}
        </p>
      </div>
      <div className="field">
        <label htmlFor="r-role">{t("recipients.role")}</label>
        <select id="r-role" name="role" defaultValue={hasOwner ? "manager" : "owner"}>
          <option value="owner">{t("recipients.roles.owner")}</option>
          <option value="manager">{t("recipients.roles.manager")}</option>
          <option value="member">{t("recipients.roles.member")}</option>
        </select>
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          name="escalationTarget"
          defaultChecked={hasOwner}
          aria-describedby="r-escalation-hint"
        />{" "}
        {t("recipients.escalationTarget")}
      </label>
      {/* What a designated manager will receive, under the organization's current setting. */}
      <p id="r-escalation-hint" className="hint" data-testid="escalation-mode-hint">
        {t(
          viewer.user?.organization.escalationCopy === "immediate"
            ? "recipients.escalationModeImmediate"
            : "recipients.escalationModeDelayed",
        )}
      </p>
      <SubmitButton className="button button-primary" data-testid="add-recipient-submit">
        {t("recipients.add")}
      </SubmitButton>
    </form>
  );
}
