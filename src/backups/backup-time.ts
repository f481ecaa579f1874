/** A backup's time, read from its folder name through the placeholders of the series' pattern. UTC. */
import type { BackupTime } from '../model.ts';
import type { PlaceholderName, SeriesKey } from './placeholders.ts';

/** The numbers in a date/time value, whatever separates them: `2026-11-23t02-00-00z` → 2026 11 23 2 0 0. */
function numbersIn(value: string | number | undefined): number[] {
  return String(value ?? '')
    .split(/\D+/)
    .filter((part) => part !== '')
    .map(Number);
}

/**
 * The time a matched name gives, from the first `{datetime}`, else the first `{date}` and `{time}`;
 * undefined when a value is not a real date or time (`2026-02-30`, `25-00-00`), which no run produces.
 */
export function backupTime(key: SeriesKey, placeholders: readonly PlaceholderName[]): BackupTime | undefined {
  const valueOf = (name: PlaceholderName): number[] | undefined => {
    const index = placeholders.indexOf(name);
    return index === -1 ? undefined : numbersIn(key[index]);
  };
  const datetime = valueOf('datetime');
  const date = datetime?.slice(0, 3) ?? valueOf('date');
  const time = datetime?.slice(3, 6) ?? valueOf('time');
  if (date === undefined && time === undefined) return undefined;
  const [year = 1970, month = 1, day = 1] = date ?? [];
  const [hour = 0, minute = 0, second = 0] = time ?? [];
  const instant = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0 to 99 as 1900 to 1999.
  instant.setUTCFullYear(year, month - 1, day);
  instant.setUTCHours(hour, minute, second, 0);
  const real =
    instant.getUTCFullYear() === year &&
    instant.getUTCMonth() === month - 1 &&
    instant.getUTCDate() === day &&
    instant.getUTCHours() === hour &&
    instant.getUTCMinutes() === minute &&
    instant.getUTCSeconds() === second;
  if (!real) return undefined;
  return { epochMs: instant.getTime(), hasDate: date !== undefined, hasTime: time !== undefined };
}
