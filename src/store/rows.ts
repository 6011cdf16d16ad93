/**
 * Reading database values back into domain values. Drivers differ (PostgreSQL returns BIGINT as
 * a string, MySQL booleans as 0/1, MariaDB may return bigint), so every column goes through one
 * of these. A value that cannot be read is a DomainError INTERNAL naming table, row and column.
 */
import { DomainError } from '../rules/errors.js';

export interface RowRef {
  table: string;
  id: string;
}

export function badRow(ref: RowRef, column: string, why: string): DomainError {
  return new DomainError(
    'INTERNAL',
    `Stored ${ref.table} row ${ref.id} is unreadable: column ${column} ${why}`,
    { table: ref.table, id: ref.id, column },
  );
}

export function num(ref: RowRef, column: string, v: unknown): number {
  const n = typeof v === 'number' ? v : typeof v === 'bigint' || typeof v === 'string' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw badRow(ref, column, `is not a number (${String(v)})`);
  return n;
}

export function numOrNull(ref: RowRef, column: string, v: unknown): number | null {
  return v === null || v === undefined ? null : num(ref, column, v);
}

export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === '1' || v === 't' || v === 'true' || v === 1n;
}

export function str(ref: RowRef, column: string, v: unknown): string {
  if (typeof v !== 'string') throw badRow(ref, column, 'is not text');
  return v;
}

export function strOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

export function json(ref: RowRef, column: string, v: unknown): unknown {
  if (typeof v !== 'string') throw badRow(ref, column, 'is not JSON text');
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw badRow(ref, column, 'is not valid JSON');
  }
}

export function jsonOrNull(ref: RowRef, column: string, v: unknown): unknown {
  return v === null || v === undefined ? null : json(ref, column, v);
}

export function jsonObject(ref: RowRef, column: string, v: unknown): Record<string, unknown> {
  const value = json(ref, column, v);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw badRow(ref, column, 'is not a JSON object');
  return value as Record<string, unknown>;
}

/** JSON for a nullable column: null stays SQL NULL. */
export const toJsonOrNull = (v: unknown): string | null =>
  v === null || v === undefined ? null : JSON.stringify(v);
