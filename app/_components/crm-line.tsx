import type { EmailCrm } from "@/app/_lib/crm-email";
import type { Viewer } from "@/app/_lib/viewer";
import { formatCompactFcfa } from "@/lib/channels/format-values";

/** "Client CRM : Banque Atlantique · affaire « Contrat 2027 » 15 M FCFA · propriétaire Awa", with the CRM's links. */
export function CrmLine({ viewer, crm }: { viewer: Viewer; crm: EmailCrm }) {
  const { t, locale } = viewer;
  const { card } = crm;
  const parts = [
    card.companyName,
    card.deal
      ? t("crm.email.deal", {
          name: card.deal.name ?? "—",
          amount: card.deal.amountXof !== null ? formatCompactFcfa(card.deal.amountXof, locale) : "",
        }).trim()
      : null,
    card.ownerName ? t("crm.email.owner", { name: card.ownerName }) : null,
  ].filter((p): p is string => Boolean(p));
  // Links: our own pages for the demo CRM, the CRM's web app otherwise.
  const external = card.provider !== "demo";
  const linkProps = external ? { target: "_blank", rel: "noopener noreferrer" } : {};
  return (
    <div className="crm-line" data-testid="crm-line">
      <p>
        <strong>{t(crm.keyClient ? "crm.email.keyClient" : "crm.email.contact")}</strong> {parts.join(" · ")}
      </p>
      <p className="button-row">
        {crm.contactUrl && (
          <a className="button" href={crm.contactUrl} {...linkProps}>
            {t("crm.email.openContact", { crm: t(`crm.provider.${card.provider}`) })}
          </a>
        )}
        {crm.dealUrl && (
          <a className="button" href={crm.dealUrl} {...linkProps}>
            {t("crm.email.openDeal")}
          </a>
        )}
        {crm.logged.length > 0 && (
          <span className="muted" data-testid="crm-logged">
            {t("crm.email.logged", { kinds: crm.logged.map((k) => t(`crm.email.kind.${k}`)).join(", ") })}
          </span>
        )}
      </p>
    </div>
  );
}
