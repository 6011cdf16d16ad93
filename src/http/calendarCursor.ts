/**
 * The calendar's `next_cursor`: a place in its order (instant, rule id, …), opaque to clients
 * (base64url), checked when it comes back.
 */
import type { CalendarCursor } from '../rules/Occurrence.js';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const INT = /^-?\d{1,16}$/;

export function encodeCursor(c: CalendarCursor): string {
  return Buffer.from(`${c.at}~${c.ruleId}~${c.originalAt}~${c.manual ? 1 : 0}`, 'utf8').toString('base64url');
}

/** The place a cursor names, or null when it is not one this service gave. */
export function decodeCursor(text: string): CalendarCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const parts = Buffer.from(text, 'base64url').toString('utf8').split('~');
  if (parts.length !== 4) return null;
  const [at, ruleId, originalAt, manual] = parts as [string, string, string, string];
  if (!INT.test(at) || !INT.test(originalAt) || !UUID.test(ruleId) || (manual !== '0' && manual !== '1')) {
    return null;
  }
  return { at: Number(at), ruleId, originalAt: Number(originalAt), manual: manual === '1' };
}
