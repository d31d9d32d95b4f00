import { dateTime } from "@/app/_lib/describe";
import type { Viewer } from "@/app/_lib/viewer";
import type { RelationshipStats } from "@/lib/db/relationships";

/**
 * How far each mailbox's relationship store is: whether its Sent folder was read, how many
 * correspondents and domains it knows (as hashes: the list itself cannot be shown, by design).
 */
export function RelationshipStatus({ viewer, stats }: { viewer: Viewer; stats: RelationshipStats[] }) {
  const { t } = viewer;
  if (stats.length === 0) return <p className="muted">{t("relationships.none")}</p>;
  return (
    <ul className="rule-list" data-testid="relationship-status">
      {stats.map((s) => (
        <li key={s.mailboxId}>
          <strong>{s.address}</strong> · {t(`relationships.state.${s.state}`)} ·{" "}
          {t("relationships.counts", { addresses: s.addresses, domains: s.domains, read: s.sentRead })}
          {s.trusted > 0 && <> · {t("relationships.trusted", { count: s.trusted })}</>}
          {s.updatedAt && <span className="muted"> · {dateTime(viewer, s.updatedAt)}</span>}
          {s.error && <span className="error"> · {s.error}</span>}
        </li>
      ))}
    </ul>
  );
}
