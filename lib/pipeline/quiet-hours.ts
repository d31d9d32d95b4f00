import { TZDate } from "@date-fns/tz";

export type QuietHours = {
  quietStartMinute: number | null;
  quietEndMinute: number | null;
  timezone: string;
};

/**
 * When the recipient's quiet hours end, if `now` falls inside them (null otherwise). Minutes are
 * local to the recipient's time zone; a window may wrap midnight (22:00 → 07:00). Computed with
 * TZDate so a daylight-saving change inside the window still lands on the local end time.
 */
export function quietHoursEnd(q: QuietHours, now: Date): Date | null {
  const start = q.quietStartMinute;
  const end = q.quietEndMinute;
  if (start === null || end === null || start === end) return null;
  const local = new TZDate(now.getTime(), q.timezone);
  const minute = local.getHours() * 60 + local.getMinutes();
  const wraps = start > end;
  const inside = wraps ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return null;
  // Past midnight of a wrapping window (or before its end in a plain one) the end is today.
  const endsTomorrow = wraps && minute >= start;
  return new Date(
    new TZDate(
      local.getFullYear(),
      local.getMonth(),
      local.getDate() + (endsTomorrow ? 1 : 0),
      Math.floor(end / 60),
      end % 60,
      q.timezone,
    ).getTime(),
  );
}
