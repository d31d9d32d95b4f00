import { SubmitButton } from "@/app/_components/submit-button";
import { addSenderRuleAction, removeSenderRuleAction } from "@/app/_lib/actions/organization";
import type { Viewer } from "@/app/_lib/viewer";
import type { SenderRule } from "@/lib/db/schemas";

const KINDS = ["vip", "muted", "blocked", "critical", "important", "informational", "spam"] as const;

/**
 * VIP senders (trusted, always at least important), muted ones (no alert), blocked ones (spam),
 * and senders whose priority the user set ("apply to future emails" on a correction).
 */
export function SenderRules({ viewer, rules }: { viewer: Viewer; rules: SenderRule[] }) {
  const { t } = viewer;
  return (
    <>
      <p className="hint">{t("senders.hint")}</p>
      {KINDS.map((kind) => {
        const list = rules.filter((r) => r.kind === kind);
        return (
          <div key={kind} className="rule-group">
            <h3>{t(`senders.kind.${kind}`)}</h3>
            {list.length === 0 ? (
              <p className="muted">{t("senders.none")}</p>
            ) : (
              <ul className="rule-list">
                {list.map((r) => (
                  <li key={r.id}>
                    <code>{r.pattern}</code>
                    {r.source && r.source !== "settings" && (
                      <span className="muted"> · {t(`senders.source.${r.source}`)}</span>
                    )}
                    <form action={removeSenderRuleAction}>
                      <input type="hidden" name="id" value={r.id} />
                      <input type="hidden" name="returnTo" value="/settings#senders" />
                      <SubmitButton className="link-button">
                        {t("senders.remove")}
                        <span className="sr-only"> {r.pattern}</span>
                      </SubmitButton>
                    </form>
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
      <form action={addSenderRuleAction} className="inline-form">
        <input type="hidden" name="returnTo" value="/settings#senders" />
        <div className="field">
          <label htmlFor="rule-pattern">{t("senders.pattern")}</label>
          <input
            id="rule-pattern"
            name="pattern"
            required
            placeholder="dg@client.ci, @banque.ci"
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor="rule-kind">{t("senders.kindLabel")}</label>
          <select id="rule-kind" name="kind" defaultValue="vip">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`senders.kind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <SubmitButton className="button">{t("senders.add")}</SubmitButton>
      </form>
    </>
  );
}
