import { SubmitButton } from "@/app/_components/submit-button";
import { addEmailRecipientAction } from "@/app/_lib/actions/recipients";
import type { Viewer } from "@/app/_lib/viewer";

/** Adds an e-mail recipient (the second channel): asked to confirm by e-mail before any alert. */
export function AddEmailRecipientForm({ viewer, returnTo }: { viewer: Viewer; returnTo: string }) {
  const { t } = viewer;
  return (
    <form action={addEmailRecipientAction} className="stack add-recipient" data-testid="add-email-recipient">
      <input type="hidden" name="returnTo" value={returnTo} />
      <h3>{t("recipients.addEmailTitle")}</h3>
      <p className="hint">{t("recipients.emailHint")}</p>
      <div className="field">
        <label htmlFor="re-name">{t("recipients.name")}</label>
        <input id="re-name" name="name" required maxLength={120} autoComplete="name" />
      </div>
      <div className="field">
        <label htmlFor="re-email">{t("recipients.email")}</label>
        <input id="re-email" name="email" type="email" required maxLength={254} autoComplete="email" />
      </div>
      <div className="field">
        <label htmlFor="re-role">{t("recipients.role")}</label>
        <select id="re-role" name="role" defaultValue="member">
          <option value="owner">{t("recipients.roles.owner")}</option>
          <option value="manager">{t("recipients.roles.manager")}</option>
          <option value="member">{t("recipients.roles.member")}</option>
        </select>
      </div>
      <label className="checkbox">
        <input type="checkbox" name="escalationTarget" /> {t("recipients.escalationTarget")}
      </label>
      <SubmitButton className="button" data-testid="add-email-recipient-submit">
        {t("recipients.addEmail")}
      </SubmitButton>
    </form>
  );
}
