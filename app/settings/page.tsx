import { AddEmailRecipientForm } from "@/app/_components/add-email-recipient-form";
import { AddRecipientForm } from "@/app/_components/add-recipient-form";
import { AppShell } from "@/app/_components/app-shell";
import { AutoActionFields } from "@/app/_components/auto-action-fields";
import { AutoReplySettings } from "@/app/_components/auto-reply-settings";
import { ConnectMailbox } from "@/app/_components/connect-mailbox";
import { CrmSettings } from "@/app/_components/crm-settings";
import { LiveRefresh } from "@/app/_components/live-refresh";
import { MailboxList } from "@/app/_components/mailbox-list";
import { Notice } from "@/app/_components/notice";
import { RecipientSettings } from "@/app/_components/recipient-settings";
import { RelationshipStatus } from "@/app/_components/relationship-status";
import { ReplySettings } from "@/app/_components/reply-settings";
import { SenderRules } from "@/app/_components/sender-rules";
import { SubmitButton } from "@/app/_components/submit-button";
import { deleteAccountAction, signOutEverywhereAction } from "@/app/_lib/actions/account";
import { saveAutoActionsAction, saveOrganizationAction } from "@/app/_lib/actions/organization";
import { autoReplySettings } from "@/app/_lib/auto-replies-core";
import { organizationFingerprint } from "@/app/_lib/fingerprint";
import { replySettings } from "@/app/_lib/replies-core";
import { timeZoneLabel, timeZoneOptions } from "@/app/_lib/time-zones";
import { requireViewer } from "@/app/_lib/viewer";
import { availableCrms } from "@/lib/config/crm-providers";
import { db } from "@/lib/db/client";
import { getCrmStatus } from "@/lib/db/crm";
import { listMailboxes } from "@/lib/db/mailboxes";
import { listRecipients, listSenderRules } from "@/lib/db/recipients";
import { relationshipStats } from "@/lib/db/relationships";
import { isLocalMode } from "@/lib/env";
import { LOCALES } from "@/lib/i18n/catalogue";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("nav.settings") };
}

export default async function SettingsPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, user } = viewer;
  const raw = await searchParams;
  const database = await db();
  const org = user.organization;
  const [mailboxes, recipients, rules, fingerprint, relationships, crm, replies] = await Promise.all([
    listMailboxes(database, org.id),
    listRecipients(database, org.id),
    listSenderRules(database, org.id),
    organizationFingerprint(database, org.id),
    relationshipStats(database, org.id),
    getCrmStatus(database, org.id),
    replySettings(database, user),
  ]);
  const autoReplies = await autoReplySettings(database, user, replies.templates);

  return (
    <AppShell viewer={viewer} current="settings">
      <div className="page-head">
        <h1>{t("settings.title")}</h1>
        <LiveRefresh initial={fingerprint} drain={isLocalMode} intervalMs={5000} />
      </div>
      <Notice viewer={viewer} params={raw} />
      <nav aria-label={t("settings.sectionsLabel")} className="toc">
        <ul>
          {(
            [
              "organization",
              "mailboxes",
              "recipients",
              "senders",
              "replies",
              "auto-replies",
              "crm",
              "auto-actions",
              "sessions",
              "delete",
            ] as const
          ).map((s) => (
            <li key={s}>
              <a href={`#${s}`}>{t(`settings.sections.${s}`)}</a>
            </li>
          ))}
        </ul>
      </nav>

      <section id="organization" className="card" aria-labelledby="org-title">
        <h2 id="org-title">{t("settings.sections.organization")}</h2>
        <form action={saveOrganizationAction} className="stack">
          <input type="hidden" name="returnTo" value="/settings#organization" />
          <div className="field">
            <label htmlFor="org-name">{t("settings.orgName")}</label>
            <input id="org-name" name="name" defaultValue={org.name} required maxLength={200} />
          </div>
          <div className="field">
            <label htmlFor="org-tz">{t("preferences.timezone")}</label>
            <select id="org-tz" name="timezone" defaultValue={org.timezone}>
              {timeZoneOptions(org.timezone).map((z) => (
                <option key={z} value={z}>
                  {timeZoneLabel(z, viewer.locale)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="org-label-locale">{t("settings.labelLocale")}</label>
            <select
              id="org-label-locale"
              name="locale"
              defaultValue={org.locale}
              aria-describedby="org-label-locale-hint"
            >
              {LOCALES.map((l) => (
                <option key={l} value={l}>
                  {t(`nav.languageName.${l}`)}
                </option>
              ))}
            </select>
            <p id="org-label-locale-hint" className="hint">
              {t("settings.labelLocaleHint")}
            </p>
          </div>
          <fieldset className="field" aria-describedby="org-escalation-hint">
            <legend>{t("settings.escalationCopy")}</legend>
            {(["delayed", "immediate"] as const).map((mode) => (
              <label key={mode} className="check">
                <input
                  type="radio"
                  name="escalationCopy"
                  value={mode}
                  defaultChecked={org.escalationCopy === mode}
                  data-testid={`escalation-${mode}`}
                />{" "}
                {t(
                  mode === "delayed" ? "settings.escalationCopyDelayed" : "settings.escalationCopyImmediate",
                )}
              </label>
            ))}
            <p id="org-escalation-hint" className="hint">
              {t("settings.escalationCopyHint")}
            </p>
          </fieldset>
          <SubmitButton className="button button-primary">{t("common.save")}</SubmitButton>
        </form>
      </section>

      <section id="mailboxes" className="card" aria-labelledby="mb-title">
        <h2 id="mb-title">{t("settings.sections.mailboxes")}</h2>
        <MailboxList viewer={viewer} mailboxes={mailboxes} returnTo="/settings#mailboxes" canDisconnect />
        <h3>{t("mailboxes.connectTitle")}</h3>
        <ConnectMailbox
          viewer={viewer}
          returnTo="/settings#mailboxes"
          hasSandbox={mailboxes.some((m) => m.provider === "sandbox" && m.status === "active")}
        />
      </section>

      <section id="recipients" className="card" aria-labelledby="rc-title">
        <h2 id="rc-title">{t("settings.sections.recipients")}</h2>
        <p className="hint">{t("settings.recipientsHint")}</p>
        {recipients.length === 0 ? (
          <p className="muted">{t("recipients.none")}</p>
        ) : (
          <ul className="recipient-list">
            {recipients.map((r) => (
              <RecipientSettings key={r.id} viewer={viewer} recipient={r} returnTo="/settings#recipients" />
            ))}
          </ul>
        )}
        <AddRecipientForm
          viewer={viewer}
          returnTo="/settings#recipients"
          hasOwner={recipients.some((r) => r.role === "owner")}
        />
        <AddEmailRecipientForm viewer={viewer} returnTo="/settings#recipients" />
      </section>

      <section id="senders" className="card" aria-labelledby="sd-title">
        <h2 id="sd-title">{t("settings.sections.senders")}</h2>
        <SenderRules viewer={viewer} rules={rules} />
        <h3>{t("relationships.title")}</h3>
        <p className="hint">{t("relationships.hint")}</p>
        <RelationshipStatus viewer={viewer} stats={relationships} />
        <p>
          <a href="/api/corrections" download>
            {t("relationships.export")}
          </a>
        </p>
      </section>

      <section id="replies" className="card" aria-labelledby="rp-title">
        <h2 id="rp-title">{t("settings.sections.replies")}</h2>
        <ReplySettings viewer={viewer} settings={replies} />
      </section>

      <section id="auto-replies" className="card" aria-labelledby="ar-title">
        <h2 id="ar-title">{t("settings.sections.auto-replies")}</h2>
        <AutoReplySettings viewer={viewer} settings={autoReplies} mailboxes={replies.mailboxes} />
      </section>

      <section id="crm" className="card" aria-labelledby="crm-title">
        <h2 id="crm-title">{t("settings.sections.crm")}</h2>
        <CrmSettings viewer={viewer} status={crm} available={availableCrms()} />
      </section>

      <section id="auto-actions" className="card" aria-labelledby="aa-title">
        <h2 id="aa-title">{t("settings.sections.auto-actions")}</h2>
        <form action={saveAutoActionsAction} className="stack">
          <input type="hidden" name="returnTo" value="/settings#auto-actions" />
          <AutoActionFields viewer={viewer} values={org} />
          <SubmitButton className="button button-primary">{t("common.save")}</SubmitButton>
        </form>
      </section>

      <section id="sessions" className="card" aria-labelledby="ss-title">
        <h2 id="ss-title">{t("settings.sections.sessions")}</h2>
        <p>{t("settings.sessions.text")}</p>
        <form action={signOutEverywhereAction}>
          <SubmitButton className="button" data-testid="sign-out-everywhere">
            {t("settings.sessions.button")}
          </SubmitButton>
        </form>
      </section>

      <section id="delete" className="card danger-zone" aria-labelledby="del-title">
        <h2 id="del-title">{t("settings.sections.delete")}</h2>
        <p>{t("settings.delete.text")}</p>
        <ul>
          <li>{t("settings.delete.stops")}</li>
          <li>{t("settings.delete.revokes")}</li>
          <li>{t("settings.delete.microsoft")}</li>
          <li>{t("settings.delete.data")}</li>
        </ul>
        <form action={deleteAccountAction} className="stack">
          <div className="field">
            <label htmlFor="del-confirm">
              {t("settings.delete.confirmLabel", { word: t("settings.delete.word") })}
            </label>
            <input id="del-confirm" name="confirm" required autoComplete="off" />
          </div>
          <SubmitButton className="button button-danger" data-testid="delete-account">
            {t("settings.delete.button")}
          </SubmitButton>
        </form>
      </section>
    </AppShell>
  );
}
