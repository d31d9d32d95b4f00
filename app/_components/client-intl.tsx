"use client";

import type { ReactNode } from "react";
import { IntlProvider } from "use-intl";

/** The few client components (live refresh, opt-in, outbox buttons) read their text from here. */
export function ClientIntl({
  locale,
  timeZone,
  messages,
  children,
}: {
  locale: string;
  timeZone: string;
  messages: Record<string, unknown>;
  children: ReactNode;
}) {
  return (
    <IntlProvider locale={locale} timeZone={timeZone} messages={messages as never}>
      {children}
    </IntlProvider>
  );
}
