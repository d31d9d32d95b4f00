import type { Viewer } from "@/app/_lib/viewer";
import { attachmentLine } from "@/lib/attachments/present";
import type { StoredAttachment } from "@/lib/attachments/stored";

/** The email page's attachments: what was found in each one, or why it was not read. */
export function EmailAttachments({
  viewer,
  attachments,
}: {
  viewer: Viewer;
  attachments: StoredAttachment[];
}) {
  const { t } = viewer;
  if (attachments.length === 0) return null;
  return (
    <section className="card" aria-labelledby="attachments-title" data-testid="email-attachments">
      <h2 id="attachments-title">{t("email.attachments.title", { count: attachments.length })}</h2>
      <ul className="reasons">
        {attachments.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list from one analysis (names may repeat)
          <li key={i} data-testid="attachment" data-status={a.status}>
            {attachmentLine(a, viewer.locale, viewer.timeZone)}
          </li>
        ))}
      </ul>
      <p className="muted">{t("email.attachments.hint")}</p>
    </section>
  );
}
