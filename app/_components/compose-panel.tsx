import { KeepTypedForm } from "@/app/_components/keep-typed-form";
import { SubmitButton } from "@/app/_components/submit-button";
import { composeAction, loadSamplesAction } from "@/app/_lib/actions/sandbox";
import type { Viewer } from "@/app/_lib/viewer";

/** Local mode: write a test email into the sandbox mailbox, or load the project's sample emails. */
export function ComposePanel({ viewer, mailboxAddress }: { viewer: Viewer; mailboxAddress: string | null }) {
  const { t } = viewer;
  return (
    <section id="sandbox" className="card compose" aria-labelledby="compose-title">
      <h2 id="compose-title">
        <span aria-hidden="true">🧪</span> {t("compose.title")}
      </h2>
      {mailboxAddress ? (
        <>
          <p className="hint">{t("compose.hint", { address: mailboxAddress })}</p>
          <KeepTypedForm
            action={composeAction}
            className="stack"
            data-testid="compose-form"
            storageKey="fluxasync.compose"
          >
            <fieldset>
              <legend>{t("compose.direction")}</legend>
              <div className="radio-row">
                <label className="radio">
                  <input type="radio" name="direction" value="received" defaultChecked />{" "}
                  {t("compose.received")}
                </label>
                <label className="radio">
                  <input type="radio" name="direction" value="sent" data-testid="compose-sent" />{" "}
                  {t("compose.sent")}
                </label>
              </div>
            </fieldset>
            <div className="field">
              <label htmlFor="c-from">{t("compose.fromAddress")}</label>
              <input
                id="c-from"
                name="fromAddress"
                type="email"
                required
                defaultValue={t("compose.defaults.fromAddress")}
                autoComplete="off"
              />
            </div>
            <div className="field">
              <label htmlFor="c-name">{t("compose.fromName")}</label>
              <input
                id="c-name"
                name="fromName"
                defaultValue={t("compose.defaults.fromName")}
                autoComplete="off"
              />
            </div>
            <div className="field">
              <label htmlFor="c-subject">{t("compose.subject")}</label>
              <input
                id="c-subject"
                name="subject"
                required
                maxLength={300}
                defaultValue={t("compose.defaults.subject")}
              />
            </div>
            <div className="field">
              <label htmlFor="c-body">{t("compose.body")}</label>
              <textarea id="c-body" name="body" required rows={6} defaultValue={t("compose.defaults.body")} />
            </div>
            <div className="field">
              <label htmlFor="c-file">{t("compose.attachment")}</label>
              <input
                id="c-file"
                name="attachment"
                type="file"
                accept=".pdf,.docx,.xlsx,.csv,.txt,.html,.png,.jpg,.jpeg"
                data-testid="compose-attachment"
              />
            </div>
            <div className="field">
              <label htmlFor="c-auth">{t("compose.authentication")}</label>
              <select id="c-auth" name="authentication" defaultValue="pass">
                <option value="pass">{t("compose.authenticationOptions.pass")}</option>
                <option value="none">{t("compose.authenticationOptions.none")}</option>
                <option value="fail">{t("compose.authenticationOptions.fail")}</option>
              </select>
            </div>
            <SubmitButton
              className="button button-primary"
              data-testid="compose-send"
              pendingLabel={t("compose.sending")}
            >
              {t("compose.send")}
            </SubmitButton>
          </KeepTypedForm>
          <form action={loadSamplesAction} className="samples">
            <p className="hint">{t("compose.samplesHint")}</p>
            <SubmitButton className="button" data-testid="load-samples" pendingLabel={t("compose.sending")}>
              {t("compose.loadSamples")}
            </SubmitButton>
          </form>
        </>
      ) : (
        <p>
          {t("compose.noSandbox")} <a href="/onboarding?step=1">{t("compose.connectSandbox")}</a>
        </p>
      )}
    </section>
  );
}
