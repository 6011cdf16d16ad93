/**
 * SQL text built with escaped values: `sql\`SELECT … WHERE id = ${id}\`` escapes every
 * interpolated value with the dialect's own escaping; `raw()` marks trusted SQL fragments and
 * arrays become comma-separated lists (callers never pass an empty array to an IN list).
 */
export type Escape = (value: unknown) => string;

export class RawSql {
  constructor(readonly text: string) {}
}

/** A trusted SQL fragment (identifiers, keywords), inserted as is. */
export const raw = (text: string): RawSql => new RawSql(text);

export interface SqlText {
  readonly text: string;
}

/** Builds a tagged-template SQL builder for one dialect's escaping. */
export function sqlBuilder(escape: Escape) {
  const one = (v: unknown): string => {
    if (v instanceof RawSql) return v.text;
    if (Array.isArray(v)) return v.map(one).join(', ');
    if (v === undefined) return 'NULL';
    return escape(v);
  };
  return (strings: TemplateStringsArray, ...values: unknown[]): RawSql => {
    let text = strings[0] ?? '';
    for (let i = 0; i < values.length; i++) text += one(values[i]) + (strings[i + 1] ?? '');
    return new RawSql(text);
  };
}

/** `(a, b, c), (d, e, f)` for a multi-row VALUES clause. */
export function valuesList(escape: Escape, rows: unknown[][]): RawSql {
  return new RawSql(
    rows.map((row) => `(${row.map((v) => (v === undefined ? 'NULL' : escape(v))).join(', ')})`).join(', '),
  );
}
