import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { Notice } from "@/app/_components/notice";
import { SubmitButton } from "@/app/_components/submit-button";
import { deleteDemoRecordAction, saveDemoContactAction, saveDemoDealAction } from "@/app/_lib/actions/crm";
import { dateTime } from "@/app/_lib/describe";
import { requireViewer } from "@/app/_lib/viewer";
import { db } from "@/lib/db/client";
import { getCrmStatus } from "@/lib/db/crm";
import { type DemoContact, type DemoDeal, listDemoCrm } from "@/lib/db/crm-demo";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const LIFECYCLES = ["customer", "opportunity", "lead", "subscriber", "other"] as const;
const STAGES = ["qualification", "proposal", "negotiation", "won", "lost"] as const;
const HERE = "/settings/crm";

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("crm.demo.title") };
}

/** The "CRM de démonstration" of local mode: its contacts, deals and what FluxAsync logged on them. */
export default async function DemoCrmPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t } = viewer;
  const database = await db();
  const orgId = viewer.user.organizationId;
  const [status, crm] = await Promise.all([getCrmStatus(database, orgId), listDemoCrm(database, orgId)]);
  const connected = status.connection?.provider === "demo";

  const contactForm = (c: DemoContact | null) => (
    <form action={saveDemoContactAction} className="inline-form">
      <input type="hidden" name="returnTo" value={HERE} />
      {c && <input type="hidden" name="id" value={c.id} />}
      <input
        name="name"
        aria-label={t("crm.demo.name")}
        placeholder={t("crm.demo.name")}
        defaultValue={c?.name}
        required
        maxLength={200}
      />
      <input
        name="email"
        type="email"
        aria-label={t("crm.demo.email")}
        placeholder={t("crm.demo.email")}
        defaultValue={c?.email}
        required
      />
      <input
        name="company"
        aria-label={t("crm.demo.company")}
        placeholder={t("crm.demo.company")}
        defaultValue={c?.company ?? ""}
        maxLength={200}
      />
      <input
        name="ownerName"
        aria-label={t("crm.demo.owner")}
        placeholder={t("crm.demo.owner")}
        defaultValue={c?.ownerName ?? ""}
        maxLength={200}
      />
      <select name="lifecycle" aria-label={t("crm.demo.lifecycle")} defaultValue={c?.lifecycle ?? "customer"}>
        {LIFECYCLES.map((l) => (
          <option key={l} value={l}>
            {t(`crm.demo.lifecycles.${l}`)}
          </option>
        ))}
      </select>
      <SubmitButton className="button">{c ? t("common.save") : t("crm.demo.addContact")}</SubmitButton>
    </form>
  );
  const dealForm = (contactId: string, d: DemoDeal | null) => (
    <form action={saveDemoDealAction} className="inline-form">
      <input type="hidden" name="returnTo" value={HERE} />
      <input type="hidden" name="contactId" value={contactId} />
      {d && <input type="hidden" name="id" value={d.id} />}
      <input
        name="name"
        aria-label={t("crm.demo.dealName")}
        placeholder={t("crm.demo.dealName")}
        defaultValue={d?.name}
        required
        maxLength={200}
      />
      <input
        name="amountXof"
        inputMode="numeric"
        aria-label={t("crm.demo.amount")}
        placeholder={t("crm.demo.amount")}
        defaultValue={d ? String(d.amountXof) : ""}
        required
        pattern="[0-9  .]+"
      />
      <select name="stage" aria-label={t("crm.demo.stage")} defaultValue={d?.stage ?? "negotiation"}>
        {STAGES.map((s) => (
          <option key={s} value={s}>
            {t(`crm.demo.stages.${s}`)}
          </option>
        ))}
      </select>
      <input
        name="closeDate"
        type="date"
        aria-label={t("crm.demo.closeDate")}
        defaultValue={d?.closeDate ?? ""}
      />
      <SubmitButton className="button">{d ? t("common.save") : t("crm.demo.addDeal")}</SubmitButton>
    </form>
  );
  const remove = (object: "contact" | "deal", id: string) => (
    <form action={deleteDemoRecordAction}>
      <input type="hidden" name="returnTo" value={HERE} />
      <input type="hidden" name="object" value={object} />
      <input type="hidden" name="id" value={id} />
      <SubmitButton className="button button-danger-ghost">{t("crm.demo.delete")}</SubmitButton>
    </form>
  );

  return (
    <AppShell viewer={viewer} current="settings">
      <p>
        <Link href="/settings#crm">← {t("nav.settings")}</Link>
      </p>
      <h1>{t("crm.demo.title")}</h1>
      <Notice viewer={viewer} params={await searchParams} />
      <p className="hint">{t("crm.demo.hint")}</p>
      {!connected && <p className="muted">{t("crm.demo.notConnected")}</p>}
      <section className="card" aria-labelledby="demo-contacts">
        <h2 id="demo-contacts">{t("crm.demo.contacts")}</h2>
        <ul className="rule-list" data-testid="demo-crm-contacts">
          {crm.contacts.map((c) => (
            <li key={c.id} id={`contact-${c.id}`}>
              {contactForm(c)}
              {remove("contact", c.id)}
              <ul>
                {crm.deals
                  .filter((d) => d.contactId === c.id)
                  .map((d) => (
                    <li key={d.id} id={`deal-${d.id}`}>
                      {dealForm(c.id, d)}
                      {remove("deal", d.id)}
                    </li>
                  ))}
                <li>{dealForm(c.id, null)}</li>
              </ul>
            </li>
          ))}
        </ul>
        <h3>{t("crm.demo.newContact")}</h3>
        {contactForm(null)}
      </section>
      <section className="card" aria-labelledby="demo-activities">
        <h2 id="demo-activities">{t("crm.demo.activities")}</h2>
        {crm.activities.length === 0 ? (
          <p className="muted">{t("crm.demo.noActivities")}</p>
        ) : (
          <ul className="rule-list" data-testid="demo-crm-activities">
            {crm.activities.map((a) => (
              <li key={a.id}>
                <strong>{t(`crm.email.kind.${a.kind}`)}</strong> · {a.subject}
                {a.ownerName && <> · {t("crm.email.owner", { name: a.ownerName })}</>}
                {a.dueAt && <> · {t("crm.demo.due", { date: dateTime(viewer, a.dueAt) })}</>}
                <span className="muted"> · {dateTime(viewer, a.createdAt)}</span>
                <pre className="crm-activity-body">{a.body}</pre>
              </li>
            ))}
          </ul>
        )}
      </section>
    </AppShell>
  );
}
