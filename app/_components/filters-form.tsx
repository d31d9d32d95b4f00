import Link from "next/link";
import { type FilterParams, hasFilters, STATUSES } from "@/app/_lib/dashboard-filters";
import type { Viewer } from "@/app/_lib/viewer";
import { PRIORITIES } from "@/lib/analysis/schema";

/** A GET form: filters live in the URL, so they survive refreshes and can be shared. */
export function FiltersForm({ viewer, params }: { viewer: Viewer; params: FilterParams }) {
  const { t } = viewer;
  return (
    <search aria-label={t("filters.label")}>
      <form method="get" action="/dashboard" className="filters">
        <div className="field">
          <label htmlFor="f-q">{t("filters.text")}</label>
          <input
            id="f-q"
            name="q"
            type="search"
            defaultValue={params.q ?? ""}
            placeholder={t("filters.textPlaceholder")}
          />
        </div>
        <div className="field">
          <label htmlFor="f-priority">{t("filters.priority")}</label>
          <select id="f-priority" name="priority" defaultValue={params.priority ?? ""}>
            <option value="">{t("filters.all")}</option>
            {PRIORITIES.map((p) => (
              <option key={p} value={p}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">{t("filters.status")}</label>
          <select id="f-status" name="status" defaultValue={params.status ?? ""}>
            <option value="">{t("filters.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`filters.statuses.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-from">{t("filters.from")}</label>
          <input id="f-from" name="from" type="date" defaultValue={params.from ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t("filters.to")}</label>
          <input id="f-to" name="to" type="date" defaultValue={params.to ?? ""} />
        </div>
        <div className="filter-buttons">
          <button type="submit" className="button">
            {t("filters.apply")}
          </button>
          {hasFilters(params) && (
            <Link href="/dashboard" className="button button-ghost">
              {t("filters.reset")}
            </Link>
          )}
        </div>
      </form>
    </search>
  );
}
