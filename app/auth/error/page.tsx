import { cookies } from "next/headers";
import { toLocale, translator } from "@/lib/i18n/catalogue";

const REASONS = ["denied", "state", "expired", "scope", "mailbox_taken", "identity", "provider", "not_configured"] as const;

export default async function AuthErrorPage({
  searchParams,
}: {
  searchParams: Promise<{ provider?: string; reason?: string }>;
}) {
  const { provider, reason } = await searchParams;
  const locale = toLocale((await cookies()).get("locale")?.value);
  const t = translator(locale, "auth");
  const why = REASONS.find((r) => r === reason) ?? "provider";
  const which = provider === "microsoft" ? "microsoft" : "google";
  return (
    <main style={{ maxWidth: 560, margin: "10vh auto", padding: 24 }}>
      <h1>{t("title")}</h1>
      <p role="alert">{t(`reason.${why}`)}</p>
      <p style={{ display: "flex", gap: 16 }}>
        <a href={`/api/auth/${which}/start`}>
          {t("retry")} ({t(`provider.${which}`)})
        </a>
        <a href="/">{t("home")}</a>
      </p>
    </main>
  );
}
