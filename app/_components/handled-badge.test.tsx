import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { HandledBadge } from "@/app/_components/handled-badge";
import type { Viewer } from "@/app/_lib/viewer";
import { translator } from "@/lib/i18n/catalogue";

const viewer = (locale: "fr" | "en"): Viewer => ({
  user: null,
  locale,
  timeZone: "Africa/Abidjan",
  t: translator(locale, "web", "Africa/Abidjan"),
});
const at = new Date("2026-12-01T10:42:00Z");

describe("HandledBadge", () => {
  it("says who handled the email and when, in the reader's language", () => {
    expect(
      renderToStaticMarkup(<HandledBadge viewer={viewer("fr")} handledAt={at} name="Awa Koné" />),
    ).toMatch(/✓ Traité par Awa Koné · .*10:42/);
    expect(
      renderToStaticMarkup(<HandledBadge viewer={viewer("en")} handledAt={at} name="Awa Koné" />),
    ).toMatch(/✓ Done by Awa Koné · .*10:42/);
  });

  it("says only when, for a handler no longer known", () => {
    const html = renderToStaticMarkup(<HandledBadge viewer={viewer("fr")} handledAt={at} name={null} />);
    expect(html).toMatch(/✓ Traité · /);
    expect(html).not.toContain("par");
  });
});
