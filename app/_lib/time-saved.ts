/**
 * "Time saved", a stated estimate rather than a measurement: without the assistant a manager opens,
 * reads and decides on every email, about READING_MINUTES each; with it, they read only the
 * alerts they act on, about ALERT_MINUTES each. Saved = emails triaged × 2 min − alerts read × 0.5 min
 * (never below zero). The stats page shows the formula under the figure.
 */
export const READING_MINUTES = 2;
export const ALERT_MINUTES = 0.5;

export function timeSavedMinutes(emailsTriaged: number, alertsRead = 0): number {
  return Math.max(0, emailsTriaged * READING_MINUTES - alertsRead * ALERT_MINUTES);
}
