import test from 'ava';
import fc from 'fast-check';
import { isoInstant } from '../../src/rules/isoInstant.js';

const edges = [
  0,
  -1,
  1,
  951_782_400_000, // 2000-02-29
  1_709_164_800_000, // 2024-02-29
  -62_167_219_200_000, // 0000-01-01
  -62_167_219_200_001, // the millisecond before: year -1
  253_402_300_799_999, // 9999-12-31T23:59:59.999Z
  253_402_300_800_000, // +010000
  8.64e15,
  -8.64e15,
];

for (const ms of edges) {
  test(`isoInstant(${ms}) is what toISOString writes`, (t) => {
    t.is(isoInstant(ms), new Date(ms).toISOString());
  });
}

test('isoInstant is toISOString for any instant Date can hold', (t) => {
  fc.assert(
    fc.property(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      (ms) => isoInstant(ms) === new Date(ms).toISOString(),
    ),
    { numRuns: 20_000 },
  );
  fc.assert(
    fc.property(
      fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }),
      (ms) => isoInstant(ms) === new Date(ms).toISOString(),
    ),
    { numRuns: 20_000 },
  );
  t.pass();
});

test('isoInstant of a value that is not an instant throws as toISOString does', (t) => {
  t.throws(() => isoInstant(NaN), { instanceOf: RangeError });
  t.throws(() => isoInstant(8.64e15 + 1), { instanceOf: RangeError });
});
