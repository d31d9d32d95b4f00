import { switchLocale } from "@/app/_lib/locale-actions";
import type { Viewer } from "@/app/_lib/viewer";
import { LOCALES } from "@/lib/i18n/catalogue";

/** Plain form buttons: works before hydration and without JavaScript. */
export function LanguageSwitcher({ viewer }: { viewer: Viewer }) {
  const { t, locale } = viewer;
  return (
    <form action={switchLocale} className="lang-switch" aria-label={t("nav.language")}>
      {LOCALES.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          lang={l}
          aria-pressed={l === locale}
          className={l === locale ? "lang-current" : undefined}
          data-testid={`lang-${l}`}
        >
          {t(`nav.languageName.${l}`)}
        </button>
      ))}
    </form>
  );
}
