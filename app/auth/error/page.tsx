import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { hasWebMessage } from "@/app/_lib/messages";
import { getViewer } from "@/app/_lib/viewer";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

/** Where a failed Google / Microsoft sign-in lands: what happened and how to retry. */
export default async function AuthErrorPage({ searchParams }: Props) {
  const viewer = await getViewer();
  const { t, locale } = viewer;
  const params = await searchParams;
  const provider = params.provider === "microsoft" ? "microsoft" : "google";
  const reason =
    typeof params.reason === "string" && hasWebMessage(locale, `authError.reason.${params.reason}`)
      ? params.reason
      : "provider";
  return (
    <AppShell viewer={viewer} current="landing">
      <div className="card error-state" role="alert">
        <h1>{t("authError.title", { provider: t(`authError.provider.${provider}`) })}</h1>
        <p>{t(`authError.reason.${reason}`)}</p>
        <p className="button-row">
          <a className="button button-primary" href={`/api/auth/${provider}/start`}>
            {t("authError.retry")}
          </a>
          <Link className="button button-ghost" href="/">
            {t("notFound.home")}
          </Link>
        </p>
      </div>
    </AppShell>
  );
}
