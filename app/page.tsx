import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { WhatsAppBubble } from "@/app/_components/whatsapp-bubble";
import { getViewer } from "@/app/_lib/viewer";
import { env, isLocalMode } from "@/lib/env";
import { renderAlert } from "@/lib/whatsapp/render-alert";

export const dynamic = "force-dynamic";

/** Today 17:00 in Abidjan (UTC+0): the example's deadline always reads "aujourd'hui 17:00". */
function exampleDeadline(now: Date): string {
  const d = new Date(now);
  d.setUTCHours(17, 0, 0, 0);
  return d.toISOString();
}

export default async function LandingPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[]>>;
}) {
  const viewer = await getViewer();
  const { t, locale, user } = viewer;
  const params = await searchParams;
  const now = new Date();
  // The example is rendered by the same code that renders real alerts.
  const example = renderAlert(
    {
      locale,
      timeZone: "Africa/Abidjan",
      priority: "critical",
      subject: t("landing.example.subject"),
      fromName: null,
      fromAddress: "client.important@banque.ci",
      summary: t("landing.example.summary"),
      deadline: exampleDeadline(now),
      amounts: [{ value: 15_000_000, currency: "XOF" }],
      suggestedAction: { kind: "sign", phrase: t("landing.example.action") },
      fraudWarning: null,
      autoActions: [`label:FluxAsync/${t("landing.example.label")}`],
      analyzer: "gemini",
      alertId: "example",
    },
    now,
  );

  return (
    <AppShell viewer={viewer} current="landing">
      {params.signin === "required" && (
        <p className="notice notice-info" role="status" data-testid="signin-required">
          {t("landing.signinRequired")}
        </p>
      )}
      {params.signedOut === "everywhere" && (
        <p className="notice notice-success" role="status" data-testid="signed-out-everywhere">
          {t("landing.signedOutEverywhere")}
        </p>
      )}
      {params.deleted === "1" && (
        <p className="notice notice-success" role="status">
          {t("landing.accountDeleted")}
        </p>
      )}
      <section className="hero" aria-labelledby="hero-title">
        <div className="hero-text">
          <h1 id="hero-title">{t("landing.title")}</h1>
          <p className="lead">{t("landing.lead")}</p>
          <div className="signup" id="signin">
            {user ? (
              <Link
                className="button button-primary"
                href={user.organization.onboardedAt ? "/dashboard" : "/onboarding"}
              >
                {t("landing.openApp")}
              </Link>
            ) : (
              <>
                {env.GOOGLE_CLIENT_ID && (
                  <a className="button button-provider" href="/api/auth/google/start">
                    <span aria-hidden="true">G</span> {t("landing.signupGoogle")}
                  </a>
                )}
                {env.MICROSOFT_CLIENT_ID && (
                  <a className="button button-provider" href="/api/auth/microsoft/start">
                    <span aria-hidden="true">⊞</span> {t("landing.signupMicrosoft")}
                  </a>
                )}
                {isLocalMode && (
                  <form action="/api/auth/local" method="post">
                    <button type="submit" className="button button-primary" data-testid="local-signin">
                      {t("landing.continueLocal")}
                    </button>
                    <p className="hint">{t("landing.localHint")}</p>
                  </form>
                )}
              </>
            )}
          </div>
        </div>
        <figure className="hero-example">
          <div className="phone">
            <WhatsAppBubble
              body={example.body}
              label={t("landing.exampleLabel")}
              footer={<span>17:02 ✓✓</span>}
              buttons={example.buttons.map((b) => (
                <span key={b.id} className="wa-button">
                  {b.title}
                </span>
              ))}
            />
          </div>
          <figcaption>{t("landing.exampleCaption")}</figcaption>
        </figure>
      </section>

      <section aria-labelledby="how-title" className="features">
        <h2 id="how-title">{t("landing.howTitle")}</h2>
        <ol className="feature-list">
          {(["read", "sort", "relay", "act"] as const).map((k) => (
            <li key={k}>
              <h3>{t(`landing.how.${k}.title`)}</h3>
              <p>{t(`landing.how.${k}.text`)}</p>
            </li>
          ))}
        </ol>
      </section>

      <section aria-labelledby="privacy-title" className="privacy card">
        <h2 id="privacy-title">{t("landing.privacyTitle")}</h2>
        <ul>
          {(["body", "scopes", "tokens", "delete"] as const).map((k) => (
            <li key={k}>{t(`landing.privacy.${k}`)}</li>
          ))}
        </ul>
      </section>
    </AppShell>
  );
}
