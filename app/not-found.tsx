import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { getViewer } from "@/app/_lib/viewer";

export async function generateMetadata() {
  const { t } = await getViewer();
  return { title: t("notFound.title") };
}

/** 404 — also what another organization's email looks like: nothing says it exists. */
export default async function NotFound() {
  const viewer = await getViewer();
  const { t, user } = viewer;
  return (
    <AppShell viewer={viewer} current="landing">
      <div className="card error-state" data-testid="not-found">
        <h1>{t("notFound.title")}</h1>
        <p>{t("notFound.text")}</p>
        <Link className="button button-primary" href={user ? "/dashboard" : "/"}>
          {user ? t("notFound.dashboard") : t("notFound.home")}
        </Link>
      </div>
    </AppShell>
  );
}
