/**
 * SOQL date literals as half-open UTC ranges [start, end). Salesforce evaluates them in the
 * user's time zone; API clients here have none, so UTC is theirs. Weeks start on Sunday, as in
 * Salesforce's default (en_US) locale.
 */
export interface DateRange {
  start: Date;
  end: Date;
}

const DAY = 86_400_000;

const startOfDay = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
const addDays = (d: Date, n: number) => new Date(d.getTime() + n * DAY);
const monthStart = (d: Date, offset = 0) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
const quarterStart = (d: Date, offset = 0) => new Date(Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3 + offset * 3, 1));
const yearStart = (d: Date, offset = 0) => new Date(Date.UTC(d.getUTCFullYear() + offset, 0, 1));
const weekStart = (d: Date, offset = 0) => addDays(startOfDay(d), -d.getUTCDay() + offset * 7);

const FIXED: Record<string, (now: Date) => DateRange> = {
  YESTERDAY: (now) => ({ start: addDays(startOfDay(now), -1), end: startOfDay(now) }),
  TODAY: (now) => ({ start: startOfDay(now), end: addDays(startOfDay(now), 1) }),
  TOMORROW: (now) => ({ start: addDays(startOfDay(now), 1), end: addDays(startOfDay(now), 2) }),
  LAST_WEEK: (now) => ({ start: weekStart(now, -1), end: weekStart(now) }),
  THIS_WEEK: (now) => ({ start: weekStart(now), end: weekStart(now, 1) }),
  NEXT_WEEK: (now) => ({ start: weekStart(now, 1), end: weekStart(now, 2) }),
  LAST_MONTH: (now) => ({ start: monthStart(now, -1), end: monthStart(now) }),
  THIS_MONTH: (now) => ({ start: monthStart(now), end: monthStart(now, 1) }),
  NEXT_MONTH: (now) => ({ start: monthStart(now, 1), end: monthStart(now, 2) }),
  LAST_90_DAYS: (now) => ({ start: addDays(startOfDay(now), -90), end: addDays(startOfDay(now), 1) }),
  NEXT_90_DAYS: (now) => ({ start: addDays(startOfDay(now), 1), end: addDays(startOfDay(now), 91) }),
  LAST_QUARTER: (now) => ({ start: quarterStart(now, -1), end: quarterStart(now) }),
  THIS_QUARTER: (now) => ({ start: quarterStart(now), end: quarterStart(now, 1) }),
  NEXT_QUARTER: (now) => ({ start: quarterStart(now, 1), end: quarterStart(now, 2) }),
  LAST_YEAR: (now) => ({ start: yearStart(now, -1), end: yearStart(now) }),
  THIS_YEAR: (now) => ({ start: yearStart(now), end: yearStart(now, 1) }),
  NEXT_YEAR: (now) => ({ start: yearStart(now, 1), end: yearStart(now, 2) }),
};

/** LAST_N_x includes the current unit, NEXT_N_x starts with the next one, N_x_AGO is one unit. */
const WITH_N: Record<string, (now: Date, n: number) => DateRange> = {
  LAST_N_DAYS: (now, n) => ({ start: addDays(startOfDay(now), -n), end: addDays(startOfDay(now), 1) }),
  NEXT_N_DAYS: (now, n) => ({ start: addDays(startOfDay(now), 1), end: addDays(startOfDay(now), n + 1) }),
  N_DAYS_AGO: (now, n) => ({ start: addDays(startOfDay(now), -n), end: addDays(startOfDay(now), -n + 1) }),
  LAST_N_WEEKS: (now, n) => ({ start: weekStart(now, -n), end: weekStart(now) }),
  NEXT_N_WEEKS: (now, n) => ({ start: weekStart(now, 1), end: weekStart(now, n + 1) }),
  N_WEEKS_AGO: (now, n) => ({ start: weekStart(now, -n), end: weekStart(now, -n + 1) }),
  LAST_N_MONTHS: (now, n) => ({ start: monthStart(now, -n), end: monthStart(now) }),
  NEXT_N_MONTHS: (now, n) => ({ start: monthStart(now, 1), end: monthStart(now, n + 1) }),
  N_MONTHS_AGO: (now, n) => ({ start: monthStart(now, -n), end: monthStart(now, -n + 1) }),
  LAST_N_QUARTERS: (now, n) => ({ start: quarterStart(now, -n), end: quarterStart(now) }),
  NEXT_N_QUARTERS: (now, n) => ({ start: quarterStart(now, 1), end: quarterStart(now, n + 1) }),
  N_QUARTERS_AGO: (now, n) => ({ start: quarterStart(now, -n), end: quarterStart(now, -n + 1) }),
  LAST_N_YEARS: (now, n) => ({ start: yearStart(now, -n), end: yearStart(now) }),
  NEXT_N_YEARS: (now, n) => ({ start: yearStart(now, 1), end: yearStart(now, n + 1) }),
  N_YEARS_AGO: (now, n) => ({ start: yearStart(now, -n), end: yearStart(now, -n + 1) }),
};

/** The range of a date literal (`TODAY`, `LAST_N_DAYS:7`); undefined when this server does not know it (fiscal periods). */
export function dateLiteralRange(literal: string, now: Date, n?: number): DateRange | undefined {
  const upper = literal.toUpperCase();
  const name = upper.includes(':') ? upper.slice(0, upper.indexOf(':')) : upper;
  if (n !== undefined) {
    const f = WITH_N[name] as ((now: Date, n: number) => DateRange) | undefined;
    return f && Number.isInteger(n) && n >= 0 ? f(now, n) : undefined;
  }
  return (FIXED[name] as ((now: Date) => DateRange) | undefined)?.(now);
}
