import { DomainError } from './errors.js';
import { isoInstant } from './isoInstant.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isRuleId = (s: string): boolean => UUID.test(s);

/** "<ruleId>@<UTC ISO instant>", e.g. "6f0c…@2026-03-08T07:30:00.000Z": stable, readable, URL-safe. */
export function occurrenceId(ruleId: string, originalAt: number): string {
  return `${ruleId}@${isoInstant(originalAt)}`;
}

/** A UTC ISO-8601 instant (`Z` or `+00:00`; seconds and fractions optional) → epoch ms, else NaN. */
function utcInstantMs(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|\+00:00)$/i.exec(iso);
  if (!m) return NaN;
  const [y, mo, d, h, mi, s = '0', frac = ''] = m.slice(1) as [
    string,
    string,
    string,
    string,
    string,
    string?,
    string?,
  ];
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0').slice(0, 3)));
  const back = new Date(ms);
  // 2026-02-30 or 25:00 roll over in Date.UTC: not a valid instant.
  const same =
    back.getUTCFullYear() === +y &&
    back.getUTCMonth() === +mo - 1 &&
    back.getUTCDate() === +d &&
    back.getUTCHours() === +h &&
    back.getUTCMinutes() === +mi &&
    back.getUTCSeconds() === +s;
  return same ? ms : NaN;
}

/**
 * Any valid UTC ISO instant is accepted after the `@` (`…@2026-12-05T02:30:00Z`,
 * `…@2026-12-05T02:30Z`, `…@2026-12-05T02:30:00.000Z`); occurrenceId(ruleId, originalAt) is the
 * normalised form.
 */
export function parseOccurrenceId(id: string): { ruleId: string; originalAt: number } {
  const at = id.lastIndexOf('@');
  const ruleId = at > 0 ? id.slice(0, at) : '';
  const iso = at > 0 ? id.slice(at + 1) : '';
  const ms = utcInstantMs(iso);
  if (!isRuleId(ruleId) || Number.isNaN(ms)) {
    throw DomainError.invalid({
      field: 'id',
      message: `"${id}" is not an occurrence id (<rule id>@<UTC ISO instant>, e.g. ${ruleId && isRuleId(ruleId) ? ruleId : '<rule id>'}@2026-12-05T02:30:00Z)`,
    });
  }
  return { ruleId, originalAt: ms };
}
