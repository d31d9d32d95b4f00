import Link from "next/link";
import type { ReactNode } from "react";
import { LanguageSwitcher } from "@/app/_components/language-switcher";
import type { Viewer } from "@/app/_lib/viewer";
import { db } from "@/lib/db/client";
import { isLocalMode } from "@/lib/env";
import { countProblems } from "@/lib/jobs/problems";

export type Section = "landing" | "onboarding" | "dashboard" | "settings" | "stats" | "audit" | "problems";

const NAV: Array<{ section: Section; href: string }> = [
  { section: "dashboard", href: "/dashboard" },
  { section: "settings", href: "/settings" },
  { section: "stats", href: "/stats" },
  { section: "audit", href: "/audit" },
];

/**
 * The page frame: skip link, brand, navigation for signed-in users, language, sign-out. Work that
 * failed for good shows as a "Problèmes" entry with its count, on every page, until it is retried.
 */
export async function AppShell({
  viewer,
  current,
  children,
}: {
  viewer: Viewer;
  current: Section;
  children: ReactNode;
}) {
  const { t, user } = viewer;
  const problems = user ? await countProblems(await db(), user.organizationId) : 0;
  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href={user ? "/dashboard" : "/"} className="brand">
            <span aria-hidden="true" className="brand-mark">
              ✉
            </span>
            FluxAsync Mail
          </Link>
          {isLocalMode && <span className="badge badge-local">{t("nav.localMode")}</span>}
          <div className="header-tools">
            <LanguageSwitcher viewer={viewer} />
            {user && (
              <form action="/api/auth/logout" method="post">
                <button type="submit" className="link-button" data-testid="logout">
                  {t("nav.signOut")}
                </button>
              </form>
            )}
          </div>
        </div>
        {user && (
          <nav aria-label={t("nav.label")} className="site-nav">
            <ul>
              {NAV.map((item) => (
                <li key={item.section}>
                  <Link href={item.href} aria-current={item.section === current ? "page" : undefined}>
                    {t(`nav.${item.section}`)}
                  </Link>
                </li>
              ))}
              {(problems > 0 || current === "problems") && (
                <li>
                  <Link
                    href="/problems"
                    aria-current={current === "problems" ? "page" : undefined}
                    data-testid="nav-problems"
                  >
                    {t("nav.problems")}{" "}
                    {problems > 0 && (
                      <span
                        className="badge badge-problems"
                        data-testid="problems-badge"
                        data-count={problems}
                      >
                        <span aria-hidden="true">{problems}</span>
                        <span className="sr-only">{t("problems.badge", { count: problems })}</span>
                      </span>
                    )}
                  </Link>
                </li>
              )}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1} className={`page page-${current}`}>
        {children}
      </main>
      <footer className="site-footer">
        <p>{t("footer.privacy")}</p>
      </footer>
    </>
  );
}
