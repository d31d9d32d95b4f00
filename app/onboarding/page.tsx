import Link from "next/link";
import { AddRecipientForm } from "@/app/_components/add-recipient-form";
import { AppShell } from "@/app/_components/app-shell";
import { AutoActionFields } from "@/app/_components/auto-action-fields";
import { ConnectMailbox } from "@/app/_components/connect-mailbox";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { MailboxList } from "@/app/_components/mailbox-list";
import { Notice } from "@/app/_components/notice";
import { OptInPanel } from "@/app/_components/opt-in-panel";
import { PreferenceFields } from "@/app/_components/preference-fields";
import { RecipientStatus } from "@/app/_components/recipient-status";
import { SubmitButton } from "@/app/_components/submit-button";
import {
  finishOnboardingAction,
  saveAutoActionsAction,
  savePreferencesAction,
} from "@/app/_lib/actions/organization";
import { removeRecipientAction } from "@/app/_lib/actions/recipients";
import { recipientAddress } from "@/app/_lib/describe";
import { organizationFingerprint } from "@/app/_lib/fingerprint";
import { requireViewer } from "@/app/_lib/viewer";
import { db } from "@/lib/db/client";
import { listMailboxes } from "@/lib/db/mailboxes";
import { listRecipients } from "@/lib/db/recipients";
import { isLocalMode } from "@/lib/env";

export const dynamic = "force-dynamic";

const STEPS = ["mailbox", "recipients", "preferences", "autoActions", "done"] as const;

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("onboarding.title") };
}

/** The back link and the submit button of a step whose form saves before moving on. */
function SaveAndContinue({ backStep, back, next }: { backStep: number; back: string; next: string }) {
  return (
    <p className="step-nav">
      <Link className="button button-ghost" href={`/onboarding?step=${backStep}`}>
        ← {back}
      </Link>
      <SubmitButton className="button button-primary" data-testid="next-step">
        {next} →
      </SubmitButton>
    </p>
  );
}

export default async function OnboardingPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, user } = viewer;
  const raw = await searchParams;
  const database = await db();
  const [mailboxes, recipients, fingerprint] = await Promise.all([
    listMailboxes(database, user.organizationId),
    listRecipients(database, user.organizationId),
    organizationFingerprint(database, user.organizationId),
  ]);
  // Without ?step, start at the first step not done yet.
  const firstOpen = mailboxes.length === 0 ? 1 : recipients.some((r) => r.status === "opted_in") ? 3 : 2;
  const requested = Number(raw.step);
  const step =
    Number.isInteger(requested) && requested >= 1 && requested <= STEPS.length ? requested : firstOpen;
  const owner = recipients.find((r) => r.role === "owner");
  const here = `/onboarding?step=${step}`;
  const org = user.organization;

  return (
    <AppShell viewer={viewer} current="onboarding">
      <div className="page-head">
        <h1>{t("onboarding.title")}</h1>
        <LiveRefresh initial={fingerprint} drain={isLocalMode} />
      </div>
      <nav aria-label={t("onboarding.stepsLabel")}>
        <ol className="stepper">
          {STEPS.map((s, i) => (
            <li key={s} className={i + 1 < step ? "done" : undefined}>
              <Link href={`/onboarding?step=${i + 1}`} aria-current={i + 1 === step ? "step" : undefined}>
                <span className="step-number">{i + 1}</span> {t(`onboarding.steps.${s}`)}
              </Link>
            </li>
          ))}
        </ol>
      </nav>
      <Notice viewer={viewer} params={raw} />

      {step === 1 && (
        <section className="card" aria-labelledby="step-title" data-testid="step-mailbox">
          <h2 id="step-title">{t("onboarding.mailbox.title")}</h2>
          <p>{t(isLocalMode ? "onboarding.mailbox.textLocal" : "onboarding.mailbox.text")}</p>
          <MailboxList viewer={viewer} mailboxes={mailboxes} returnTo={here} canDisconnect={false} />
          {mailboxes.length === 0 && <ConnectMailbox viewer={viewer} returnTo={here} />}
          <p className="step-nav">
            <Link
              className={`button${mailboxes.length > 0 ? " button-primary" : " button-ghost"}`}
              href="/onboarding?step=2"
              data-testid="next-step"
            >
              {mailboxes.length > 0 ? t("onboarding.next") : t("onboarding.skip")} →
            </Link>
          </p>
        </section>
      )}

      {step === 2 && (
        <section className="card" aria-labelledby="step-title" data-testid="step-recipients">
          <h2 id="step-title">{t("onboarding.recipients.title")}</h2>
          <p>{t("onboarding.recipients.text")}</p>
          {recipients.length > 0 && (
            <ul className="recipient-list">
              {recipients.map((r) => (
                <li key={r.id} className="recipient" data-testid="recipient" data-status={r.status}>
                  <p className="recipient-title">
                    <strong>{r.name}</strong> <span className="muted">{recipientAddress(r)}</span> ·{" "}
                    {t(`recipients.roles.${r.role}`)} <RecipientStatus viewer={viewer} status={r.status} />
                  </p>
                  {r.status !== "opted_in" && (
                    <OptInPanel recipientId={r.id} name={r.name} local={isLocalMode} />
                  )}
                  <form action={removeRecipientAction}>
                    <input type="hidden" name="id" value={r.id} />
                    <input type="hidden" name="returnTo" value={here} />
                    <SubmitButton className="link-button">
                      {t("recipients.remove")}
                      <span className="sr-only"> {r.name}</span>
                    </SubmitButton>
                  </form>
                </li>
              ))}
            </ul>
          )}
          <AddRecipientForm viewer={viewer} returnTo={here} hasOwner={Boolean(owner)} />
          <p className="step-nav">
            <Link className="button button-ghost" href="/onboarding?step=1">
              ← {t("onboarding.back")}
            </Link>
            <Link className="button button-primary" href="/onboarding?step=3" data-testid="next-step">
              {t("onboarding.next")} →
            </Link>
          </p>
        </section>
      )}

      {step === 3 && (
        <section className="card" aria-labelledby="step-title" data-testid="step-preferences">
          <h2 id="step-title">{t("onboarding.preferences.title")}</h2>
          <p>{t("onboarding.preferences.text")}</p>
          <form action={savePreferencesAction} className="stack">
            <input type="hidden" name="returnTo" value={here} />
            <input type="hidden" name="next" value="4" />
            <PreferenceFields
              viewer={viewer}
              idPrefix="onb"
              values={{
                minPriority: owner?.minPriority ?? "important",
                quietStartMinute: owner?.quietStartMinute ?? null,
                quietEndMinute: owner?.quietEndMinute ?? null,
                timezone: org.timezone,
                locale: viewer.locale,
              }}
            />
            <SaveAndContinue backStep={2} back={t("onboarding.back")} next={t("onboarding.saveNext")} />
          </form>
        </section>
      )}

      {step === 4 && (
        <section className="card" aria-labelledby="step-title" data-testid="step-auto-actions">
          <h2 id="step-title">{t("onboarding.autoActions.title")}</h2>
          <p>{t("onboarding.autoActions.text")}</p>
          <form action={saveAutoActionsAction} className="stack">
            <input type="hidden" name="returnTo" value={here} />
            <input type="hidden" name="next" value="5" />
            <AutoActionFields viewer={viewer} values={org} />
            <SaveAndContinue backStep={3} back={t("onboarding.back")} next={t("onboarding.saveNext")} />
          </form>
        </section>
      )}

      {step === 5 && (
        <section className="card" aria-labelledby="step-title" data-testid="step-done">
          <h2 id="step-title">{t("onboarding.done.title")}</h2>
          <ul className="checklist">
            <li className={mailboxes.length > 0 ? "ok" : "todo"}>
              {t(mailboxes.length > 0 ? "onboarding.done.mailboxOk" : "onboarding.done.mailboxTodo", {
                count: mailboxes.length,
              })}
            </li>
            <li className={recipients.some((r) => r.status === "opted_in") ? "ok" : "todo"}>
              {t("onboarding.done.recipients", {
                count: recipients.filter((r) => r.status === "opted_in").length,
              })}
            </li>
          </ul>
          <p>{t("onboarding.done.text")}</p>
          <form action={finishOnboardingAction}>
            <SubmitButton className="button button-primary" data-testid="finish-onboarding">
              {t("onboarding.done.finish")}
            </SubmitButton>
          </form>
        </section>
      )}
    </AppShell>
  );
}
