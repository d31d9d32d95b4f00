import type { Viewer } from "@/app/_lib/viewer";
import type { SignalSummary } from "@/lib/analysis/signal-summary";

const FLAGS = [
  "impersonation",
  "lookalike",
  "replyToDiverts",
  "automated",
  "official",
  "providerImportant",
] as const;

/** "Qui écrit": the facts the judgement started from — who the sender is to the owner, not what they wrote. */
export function SenderSignals({ viewer, signals }: { viewer: Viewer; signals: SignalSummary }) {
  const { t } = viewer;
  const flags = FLAGS.filter((f) => signals[f]);
  return (
    <div data-testid="sender-signals">
      <h3>{t("email.sender.title")}</h3>
      <dl className="facts facts-wide">
        <div>
          <dt>{t("email.sender.relationshipLabel")}</dt>
          <dd data-testid="signal-relationship" data-value={signals.relationship}>
            {t(`email.sender.relationship.${signals.relationship}`)}
          </dd>
        </div>
        <div>
          <dt>{t("email.sender.authenticationLabel")}</dt>
          <dd data-testid="signal-authentication" data-value={signals.authentication}>
            {t(`email.sender.authentication.${signals.authentication}`)}
          </dd>
        </div>
        <div>
          <dt>{t("email.sender.addressingLabel")}</dt>
          <dd data-testid="signal-addressing" data-value={signals.addressing}>
            {t(`email.sender.addressing.${signals.addressing}`)}
          </dd>
        </div>
        <div>
          <dt>{t("email.sender.tierLabel")}</dt>
          <dd data-testid="signal-tier" data-value={signals.tier}>
            {t(`email.sender.tier.${signals.tier}`)}
          </dd>
        </div>
      </dl>
      {flags.length > 0 && (
        <ul className="reasons">
          {flags.map((f) => (
            <li key={f}>{t(`email.sender.flags.${f}`)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
