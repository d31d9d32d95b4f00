import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { ClientIntl } from "@/app/_components/client-intl";
import { getViewer } from "@/app/_lib/viewer";
import { catalogues } from "@/lib/i18n/catalogue";
import "./globals.css";

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await getViewer();
  return {
    title: { default: "FluxAsync Mail", template: "%s · FluxAsync Mail" },
    description: t("meta.description"),
  };
}

export const viewport: Viewport = { width: "device-width", initialScale: 1, themeColor: "#0b6e4f" };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, timeZone } = await getViewer();
  return (
    <html lang={locale}>
      <body>
        {/* Only the client namespace crosses to the browser; server components render the rest. */}
        <ClientIntl locale={locale} timeZone={timeZone} messages={{ client: catalogues[locale].web.client }}>
          {children}
        </ClientIntl>
      </body>
    </html>
  );
}
