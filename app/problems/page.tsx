import Link from "next/link";
import { AppShell } from "@/app/_components/app-shell";
import { Notice } from "@/app/_components/notice";
import { SubmitButton } from "@/app/_components/submit-button";
import { retryProblemAction } from "@/app/_lib/actions/problems";
import { dateTime } from "@/app/_lib/describe";
import { hasWebMessage } from "@/app/_lib/messages";
import { requireViewer } from "@/app/_lib/viewer";
import { db } from "@/lib/db/client";
import { listProblems, type Problem } from "@/lib/jobs/problems";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

const FAILURE_CODES = new Set(["data", "schema", "size", "analysis", "retries"]);

export async function generateMetadata() {
  const { t } = await requireViewer();
  return { title: t("problems.title") };
}

/**
 * Problèmes — the organization's dead jobs (listed by the database for this organization only),
 * each with why in the viewer's language and a "Réessayer" button. An email whose analysis failed
 * says why with its failure code; no job's error text is ever shown.
 */
export default async function ProblemsPage({ searchParams }: Props) {
  const viewer = await requireViewer();
  const { t, user, locale } = viewer;
  const problems = await listProblems(await db(), user.organizationId);

  const kindLabel = (p: Problem) => {
    const key = `problems.kind.${p.kind.replace(".", "_")}`;
    return hasWebMessage(locale, key) ? t(key) : t("problems.kindUnknown");
  };
  const reason = (p: Problem) => {
    const code = p.message?.status === "failed" ? p.message.reason : null;
    if (code && FAILURE_CODES.has(code)) return `${t("failure.title")} ${t(`failure.${code}`)}`;
    return t(`problems.reason.${p.reason}`);
  };

  return (
    <AppShell viewer={viewer} current="problems">
      <h1>{t("problems.title")}</h1>
      <p className="hint">{t("problems.hint")}</p>
      <Notice viewer={viewer} params={await searchParams} />
      {problems.length === 0 ? (
        <p className="empty card" data-testid="problems-empty">
          {t("problems.empty")}
        </p>
      ) : (
        <ul className="problem-list" data-testid="problems">
          {problems.map((p) => (
            <li
              key={p.id}
              className="card problem"
              data-testid="problem"
              data-kind={p.kind}
              data-reason={p.reason}
            >
              <p>
                <strong>{kindLabel(p)}</strong>{" "}
                <span className="muted">
                  · {t("problems.when")}{" "}
                  <time dateTime={p.failedAt.toISOString()}>{dateTime(viewer, p.failedAt)}</time> ·{" "}
                  {t("problems.attempts", { attempts: p.attempts })}
                </span>
              </p>
              {p.message && (
                <p>
                  {t("problems.email")}{" "}
                  <Link href={`/dashboard/emails/${p.message.id}`}>
                    {p.message.subject || t("problems.noSubject")}
                  </Link>
                  {p.message.fromAddress && <span className="muted"> · {p.message.fromAddress}</span>}
                </p>
              )}
              <p data-testid="problem-reason">
                {t("problems.why")} {reason(p)}
              </p>
              <form action={retryProblemAction}>
                <input type="hidden" name="id" value={p.id} />
                <SubmitButton className="button" data-testid="problem-retry">
                  {t("problems.retry")}
                  <span className="sr-only"> — {kindLabel(p)}</span>
                </SubmitButton>
              </form>
            </li>
          ))}
        </ul>
      )}
    </AppShell>
  );
}
