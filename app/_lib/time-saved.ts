/**
 * The stated reading time behind "time saved": a manager opens, reads and decides on an email in
 * about two minutes; every email the assistant triaged is counted as that much time not spent.
 */
export const READING_MINUTES = 2;

export function timeSavedMinutes(emailsTriaged: number): number {
  return emailsTriaged * READING_MINUTES;
}
