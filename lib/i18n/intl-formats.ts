/*
 * Intl formatters, built once per locale and options: constructing an Intl.DateTimeFormat or
 * NumberFormat costs tens of microseconds (ICU data looked up, patterns compiled), formatting with a
 * built one about a microsecond, and an alert formats a dozen values. The options are the call
 * sites' literals plus a time zone, so the cache stays small; it is cleared past MAX entries anyway.
 */

const MAX = 500;
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function cached<F>(cache: Map<string, F>, key: string, build: () => F): F {
  const known = cache.get(key);
  if (known) return known;
  // Built before it is stored: options Intl refuses (an unknown time zone or currency) throw and
  // leave nothing behind.
  const made = build();
  if (cache.size >= MAX) cache.clear();
  cache.set(key, made);
  return made;
}

export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached(
    dateFormats,
    `${locale}\u0000${JSON.stringify(options)}`,
    () => new Intl.DateTimeFormat(locale, options),
  );
}

export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached(
    numberFormats,
    `${locale}\u0000${JSON.stringify(options)}`,
    () => new Intl.NumberFormat(locale, options),
  );
}
