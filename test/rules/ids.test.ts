import test from 'ava';
import { occurrenceId, parseOccurrenceId } from '../../src/rules/ids.js';
import { isDomainError } from '../../src/rules/errors.js';

const ruleId = '6f0c7a52-3b1e-4c8e-9d2a-0b7e5f1c2d3e';

test('an occurrence id round-trips to its rule and original instant', (t) => {
  const at = Date.parse('2026-03-08T07:30:00.000Z');
  const id = occurrenceId(ruleId, at);
  t.is(id, `${ruleId}@2026-03-08T07:30:00.000Z`);
  t.deepEqual(parseOccurrenceId(id), { ruleId, originalAt: at });
});

for (const bad of ['', 'nope', `${ruleId}@`, `${ruleId}@2026-03-08`, `not-a-uuid@2026-03-08T07:30:00.000Z`]) {
  test(`"${bad}" is refused as an occurrence id, naming the field`, (t) => {
    const err = t.throws(() => parseOccurrenceId(bad));
    t.true(isDomainError(err, 'INVALID_INPUT'));
    t.is((err as { details?: { field?: string } }).details?.field, 'id');
  });
}
