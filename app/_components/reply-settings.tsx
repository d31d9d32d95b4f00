import { SubmitButton } from "@/app/_components/submit-button";
import {
  deleteReplyTemplateAction,
  saveReplyTemplateAction,
  setMayReplyAction,
} from "@/app/_lib/actions/replies";
import type { ReplySettingsView as Settings } from "@/app/_lib/replies-core";
import type { Viewer } from "@/app/_lib/viewer";
import type { ReplyTemplate } from "@/lib/db/replies";
import { translator } from "@/lib/i18n/catalogue";

function TemplateForm({ viewer, template }: { viewer: Viewer; template: ReplyTemplate | null }) {
  const tr = translator(viewer.locale, "replies");
  const key = template?.id ?? "new";
  return (
    <form
      action={saveReplyTemplateAction}
      className="stack reply-template"
      data-testid={`reply-template-${key}`}
    >
      <input type="hidden" name="returnTo" value="/settings#replies" />
      {template && <input type="hidden" name="id" value={template.id} />}
      <div className="inline-form">
        <div className="field">
          <label htmlFor={`tpl-title-${key}`}>{tr("settings.title")}</label>
          <input
            id={`tpl-title-${key}`}
            name="title"
            required
            maxLength={24}
            defaultValue={template?.title ?? ""}
          />
        </div>
        <div className="field">
          <label htmlFor={`tpl-locale-${key}`}>{tr("settings.locale")}</label>
          <select id={`tpl-locale-${key}`} name="locale" defaultValue={template?.locale ?? viewer.locale}>
            <option value="fr">Français</option>
            <option value="en">English</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`tpl-body-${key}`}>{tr("settings.body")}</label>
        <textarea
          id={`tpl-body-${key}`}
          name="body"
          required
          maxLength={1000}
          rows={3}
          defaultValue={template?.body ?? ""}
        />
      </div>
      <label className="checkbox">
        <input
          type="checkbox"
          name="approved"
          defaultChecked={template?.approved ?? false}
          data-testid={`reply-approve-${key}`}
        />{" "}
        {tr("settings.approved")}
      </label>
      <div className="inline-form">
        <SubmitButton className="button">{template ? tr("settings.save") : tr("settings.add")}</SubmitButton>
        {template && !template.approved && <span className="muted">{tr("settings.notOffered")}</span>}
      </div>
    </form>
  );
}

/**
 * Settings › Réponses: the texts a recipient can send from WhatsApp (offered only once approved;
 * editing one asks for approval again) and which recipients may answer emails at all.
 */
export function ReplySettings({ viewer, settings }: { viewer: Viewer; settings: Settings }) {
  const tr = translator(viewer.locale, "replies");
  return (
    <>
      <p className="hint">{tr("settings.hint")}</p>
      <h3>{tr("settings.mailboxesTitle")}</h3>
      <ul className="rule-list">
        {settings.mailboxes.map((m) => (
          <li key={m.id} data-testid={`reply-mailbox-${m.provider}`}>
            <code>{m.address}</code>{" "}
            {m.canSend ? (
              <span className="muted">{tr(`settings.canSend.${m.provider}`)}</span>
            ) : (
              <a
                className="button"
                href={`/api/auth/microsoft/start?intent=replies&login_hint=${encodeURIComponent(m.address)}`}
              >
                {tr("settings.allowSending")}
              </a>
            )}
          </li>
        ))}
      </ul>
      <h3>{tr("settings.whoTitle")}</h3>
      <ul className="rule-list">
        {settings.recipients.map((r) => (
          <li key={r.id}>
            <form action={setMayReplyAction} className="inline-form">
              <input type="hidden" name="returnTo" value="/settings#replies" />
              <input type="hidden" name="recipientId" value={r.id} />
              <label className="checkbox">
                <input
                  type="checkbox"
                  name="mayReply"
                  defaultChecked={r.mayReply}
                  data-testid={`may-reply-${r.id}`}
                />{" "}
                {tr("settings.mayReply", { name: r.name })}
              </label>
              <SubmitButton className="link-button">{tr("settings.save")}</SubmitButton>
            </form>
          </li>
        ))}
      </ul>
      <h3>{tr("settings.templatesTitle")}</h3>
      <p className="hint">{tr("settings.placeholders")}</p>
      {settings.templates.map((tpl) => (
        <div key={tpl.id} className="rule-group">
          <TemplateForm viewer={viewer} template={tpl} />
          <form action={deleteReplyTemplateAction}>
            <input type="hidden" name="returnTo" value="/settings#replies" />
            <input type="hidden" name="id" value={tpl.id} />
            <SubmitButton className="link-button">
              {tr("settings.delete")}
              <span className="sr-only"> {tpl.title}</span>
            </SubmitButton>
          </form>
        </div>
      ))}
      <h3>{tr("settings.newTitle")}</h3>
      <TemplateForm viewer={viewer} template={null} />
    </>
  );
}
