/** The zones our customers are in first (West and Central Africa), then a few others they deal with. */
export const TIME_ZONES = [
  "Africa/Abidjan",
  "Africa/Dakar",
  "Africa/Bamako",
  "Africa/Ouagadougou",
  "Africa/Conakry",
  "Africa/Lome",
  "Africa/Accra",
  "Africa/Porto-Novo",
  "Africa/Lagos",
  "Africa/Niamey",
  "Africa/Douala",
  "Africa/Libreville",
  "Africa/Kinshasa",
  "Africa/Casablanca",
  "Africa/Tunis",
  "Europe/Paris",
  "Europe/London",
  "America/New_York",
  "UTC",
] as const;

/** The list, with the current value first if it is not one of ours (it stays selectable). */
export function timeZoneOptions(current: string): string[] {
  return (TIME_ZONES as readonly string[]).includes(current) ? [...TIME_ZONES] : [current, ...TIME_ZONES];
}
