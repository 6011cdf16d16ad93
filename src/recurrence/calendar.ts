import { LAST_DAY, civilFromDays, daysFromCivil, daysInMonth, weekdayOf } from './civil.js';

/**
 * Occurrence days of the calendar kinds, in closed form: each function returns the first
 * occurrence day on or after `day` (never before the start day), or null past 9999-12-31.
 * "Every N" counts from the start: days from the start day, weeks from the Monday-starting week
 * containing the start day, months from the start month.
 */
export type NextDay = (day: number) => number | null;

const LAST_MONTH = 9999 * 12 + 11;

export function onceDay(atDay: number): NextDay {
  return (day) => (day <= atDay && atDay <= LAST_DAY ? atDay : null);
}

export function dailyDays(startDay: number, every: number): NextDay {
  return (day) => {
    let d = day < startDay ? startDay : day;
    const r = (d - startDay) % every;
    if (r !== 0) d += every - r;
    return d <= LAST_DAY ? d : null;
  };
}

/** `weekdays`: sorted 0 = Monday … 6 = Sunday. */
export function weeklyDays(startDay: number, every: number, weekdays: readonly number[]): NextDay {
  const week0 = startDay - weekdayOf(startDay);
  const allowed = new Array<boolean>(7).fill(false);
  for (const w of weekdays) allowed[w] = true;
  return (day) => {
    let d = day < startDay ? startDay : day;
    for (;;) {
      if (d > LAST_DAY) return null;
      const week = Math.floor((d - week0) / 7);
      const r = week % every;
      if (r !== 0) {
        d = week0 + 7 * (week + every - r);
        continue;
      }
      for (let wd = d - (week0 + 7 * week); wd < 7; wd++) {
        if (allowed[wd]) {
          const found = week0 + 7 * week + wd;
          return found >= d && found <= LAST_DAY ? found : null;
        }
      }
      d = week0 + 7 * (week + every);
    }
  };
}

/** Day of month in (y, m), or 0 when the month has none. */
export type DayInMonth = (y: number, m: number) => number;

export function monthDay(day: number, ifMissing: 'skip' | 'last_day'): DayInMonth {
  return (y, m) => {
    const len = daysInMonth(y, m);
    if (day === -1) return len;
    if (day <= len) return day;
    return ifMissing === 'last_day' ? len : 0;
  };
}

/** `weekday`: 0 = Monday; `week`: 1..5 or -1 = last. */
export function monthWeekday(weekday: number, week: number, ifMissing: 'skip' | 'last_day'): DayInMonth {
  return (y, m) => {
    const len = daysInMonth(y, m);
    const first = 1 + ((weekday - weekdayOf(daysFromCivil(y, m, 1)) + 7) % 7);
    const last = first + 7 * Math.floor((len - first) / 7);
    if (week === -1) return last;
    const nth = first + 7 * (week - 1);
    if (nth <= len) return nth;
    return ifMissing === 'last_day' ? last : 0;
  };
}

export function monthlyDays(startDay: number, every: number, pick: DayInMonth): NextDay {
  const [sy, sm] = civilFromDays(startDay);
  const startMonth = sy * 12 + sm - 1;
  return (day) => {
    const [y, m, d] = civilFromDays(day < startDay ? startDay : day);
    let month = y * 12 + m - 1;
    let minDay = d;
    const r = (month - startMonth) % every;
    if (r !== 0) {
      month += every - r;
      minDay = 1;
    }
    for (; month <= LAST_MONTH; month += every, minDay = 1) {
      const yy = Math.floor(month / 12);
      const mm = month - yy * 12 + 1;
      const dd = pick(yy, mm);
      if (dd !== 0 && dd >= minDay) return daysFromCivil(yy, mm, dd);
    }
    return null;
  };
}
