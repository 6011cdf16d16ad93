import test from 'ava';
import { raw, RawSql, sqlBuilder, valuesList, whereAll } from '../../src/store/sql.js';

const escape = (v: unknown): string =>
  typeof v === 'string'
    ? `'${v.replace(/'/g, "''")}'`
    : v instanceof Date
      ? `'${v.toISOString()}'`
      : String(v);
const sql = sqlBuilder(escape);

test('values are escaped into the text and bound as parameters in the other form', (t) => {
  const q = sql`SELECT * FROM t WHERE a = ${"it's"} AND b >= ${1_700_000_000_000} AND c = ${true} AND d IS ${null}`;
  t.is(q.text, "SELECT * FROM t WHERE a = 'it''s' AND b >= 1700000000000 AND c = true AND d IS null");
  t.is(q.bound, 'SELECT * FROM t WHERE a = ? AND b >= ? AND c = ? AND d IS ?');
  t.deepEqual(q.params, ["it's", 1_700_000_000_000, true, null]);
});

test('fragments, lists and values that cannot be bound keep their order', (t) => {
  const inner = sql`x = ${'a'}`;
  const when = new Date(0);
  const q = sql`SELECT ${raw('id')} FROM t WHERE ${inner} AND id IN (${['p', 'q']}) AND e = ${undefined} AND f = ${when} AND g = ${NaN} AND h = ${2}`;
  t.is(
    q.text,
    "SELECT id FROM t WHERE x = 'a' AND id IN ('p', 'q') AND e = NULL AND f = '1970-01-01T00:00:00.000Z' AND g = NaN AND h = 2",
  );
  t.is(
    q.bound,
    "SELECT id FROM t WHERE x = ? AND id IN (?, ?) AND e = NULL AND f = '1970-01-01T00:00:00.000Z' AND g = NaN AND h = ?",
  );
  t.deepEqual(q.params, ['a', 'p', 'q', 2]);
});

test('raw text and VALUES lists have no parameters: their bound form is their text', (t) => {
  const v = valuesList(escape, [[1, 'a', undefined]]);
  t.true(v instanceof RawSql);
  t.is(v.bound, "(1, 'a', NULL)");
  t.deepEqual(v.params, []);
  const q = sql`INSERT INTO t VALUES ${v}`;
  t.is(q.bound, "INSERT INTO t VALUES (1, 'a', NULL)");
  t.deepEqual(raw('SELECT 1').params, []);
});

test('whereAll joins conditions with AND, their parameters in order; none is no WHERE', (t) => {
  const w = whereAll([sql`a = ${1}`, sql`b IN (${['x', 'y']})`]);
  t.is(w.text, "WHERE a = 1 AND b IN ('x', 'y')");
  t.is(w.bound, 'WHERE a = ? AND b IN (?, ?)');
  t.deepEqual(w.params, [1, 'x', 'y']);
  t.is(whereAll([]).text, '');
  t.deepEqual(sql`SELECT 1 FROM t ${w} LIMIT ${5}`.params, [1, 'x', 'y', 5]);
});
