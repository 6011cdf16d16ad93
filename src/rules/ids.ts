import { DomainError } from './errors.js';
import { isoInstant } from './isoInstant.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isRuleId = (s: string): boolean => UUID.test(s);

/** "<ruleId>@<UTC ISO instant>", e.g. "6f0c…@2026-03-08T07:30:00.000Z": stable, readable, URL-safe. */
export function occurrenceId(ruleId: string, originalAt: number): string {
  return `${ruleId}@${isoInstant(originalAt)}`;
}

export function parseOccurrenceId(id: string): { ruleId: string; originalAt: number } {
  const at = id.lastIndexOf('@');
  const ruleId = at > 0 ? id.slice(0, at) : '';
  const iso = at > 0 ? id.slice(at + 1) : '';
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(iso) ? Date.parse(iso) : NaN;
  if (!isRuleId(ruleId) || Number.isNaN(ms)) {
    throw DomainError.invalid({
      field: 'id',
      message: `"${id}" is not an occurrence id (<rule id>@<UTC ISO instant>)`,
    });
  }
  return { ruleId, originalAt: ms };
}
