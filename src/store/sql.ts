/**
 * SQL text built with escaped values: `sql\`SELECT … WHERE id = ${id}\`` escapes every
 * interpolated value with the dialect's own escaping; `raw()` marks trusted SQL fragments and
 * arrays become comma-separated lists (callers never pass an empty array to an IN list).
 *
 * Each statement also carries its parameterized form (`?` for each text, number, boolean or null
 * value, in `params`), for connections that keep prepared statements (sqliteReaders.ts): the same
 * statement with other values then reuses one prepared statement.
 */
export type Escape = (value: unknown) => string;

export class RawSql {
  constructor(
    readonly text: string,
    /** `text` with `?` in place of the values in `params`. */
    readonly bound: string = text,
    readonly params: readonly BindValue[] = [],
  ) {}
}

export type BindValue = string | number | boolean | null;

const bindable = (v: unknown): v is BindValue =>
  v === null ||
  typeof v === 'string' ||
  typeof v === 'boolean' ||
  (typeof v === 'number' && Number.isFinite(v));

/** A trusted SQL fragment (identifiers, keywords), inserted as is. */
export const raw = (text: string): RawSql => new RawSql(text);

export interface SqlText {
  readonly text: string;
}

/** Builds a tagged-template SQL builder for one dialect's escaping. */
export function sqlBuilder(escape: Escape) {
  return (strings: TemplateStringsArray, ...values: unknown[]): RawSql => {
    let text = strings[0] ?? '';
    let bound = text;
    const params: BindValue[] = [];
    const one = (v: unknown): void => {
      if (v instanceof RawSql) {
        text += v.text;
        bound += v.bound;
        params.push(...v.params);
      } else if (Array.isArray(v)) {
        v.forEach((item, i) => {
          if (i > 0) {
            text += ', ';
            bound += ', ';
          }
          one(item);
        });
      } else if (v === undefined) {
        text += 'NULL';
        bound += 'NULL';
      } else {
        const literal = escape(v);
        text += literal;
        if (bindable(v)) {
          bound += '?';
          params.push(v);
        } else bound += literal;
      }
    };
    for (let i = 0; i < values.length; i++) {
      one(values[i]);
      const next = strings[i + 1] ?? '';
      text += next;
      bound += next;
    }
    return new RawSql(text, bound, params);
  };
}

/** `WHERE a AND b …` of the conditions, or nothing when there are none (parameters kept). */
export function whereAll(conditions: readonly RawSql[]): RawSql {
  if (conditions.length === 0) return raw('');
  const join = (part: (c: RawSql) => string) => `WHERE ${conditions.map(part).join(' AND ')}`;
  return new RawSql(
    join((c) => c.text),
    join((c) => c.bound),
    conditions.flatMap((c) => c.params),
  );
}

/** `(a, b, c), (d, e, f)` for a multi-row VALUES clause. */
export function valuesList(escape: Escape, rows: unknown[][]): RawSql {
  return new RawSql(
    rows.map((row) => `(${row.map((v) => (v === undefined ? 'NULL' : escape(v))).join(', ')})`).join(', '),
  );
}
