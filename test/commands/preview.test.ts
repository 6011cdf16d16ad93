import test from 'ava';
import { runPreview } from '../../src/commands/preview.js';

function run(args: string[]) {
  let out = '';
  let err = '';
  const code = runPreview(args, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    now: Date.parse('2026-01-01T00:00:00Z'),
    defaultTimezone: 'America/New_York',
  });
  return { code, out, err };
}

const daily = JSON.stringify({ kind: 'daily', times: ['02:30'] });
const span = ['--from', '2026-03-07T00:00:00Z', '--to', '2026-03-10T00:00:00Z'];

test('prints each occurrence as UTC and local time, the gap day shifted and saying so', (t) => {
  const r = run(['--schedule', daily, '--from', '2026-03-07T00:00:00Z', '--to', '2026-03-10T00:00:00Z']);
  t.is(r.code, 0);
  t.is(r.err, '');
  t.deepEqual(JSON.parse(r.out), [
    { at: '2026-03-07T07:30:00.000Z', at_local: '2026-03-07T02:30:00-05:00', dst: null, merged_times: null },
    {
      at: '2026-03-08T07:30:00.000Z',
      at_local: '2026-03-08T03:30:00-04:00',
      dst: 'gap_shifted',
      merged_times: null,
    },
    { at: '2026-03-09T06:30:00.000Z', at_local: '2026-03-09T02:30:00-04:00', dst: null, merged_times: null },
  ]);
});

test('--format instants prints the UTC instants only, with milliseconds', (t) => {
  const r = run(['--schedule', daily, '--format', 'instants', ...span]);
  t.is(r.code, 0);
  t.deepEqual(JSON.parse(r.out), [
    '2026-03-07T07:30:00.000Z',
    '2026-03-08T07:30:00.000Z',
    '2026-03-09T06:30:00.000Z',
  ]);
});

test('--limit caps the list; --from accepts an offset', (t) => {
  const r = run([
    '--schedule',
    daily,
    '--from',
    '2026-03-07T00:00:00-05:00',
    '--to',
    '2027-01-01T00:00Z',
    '--limit',
    '2',
    '--format',
    'instants',
  ]);
  t.is(r.code, 0);
  t.deepEqual(JSON.parse(r.out), ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z']);
  t.is(
    r.err,
    'preview: cut at 2 (--limit); the next is 2026-03-09T06:30:00.000Z: pass it as --from to go on\n',
  );
});

test('the default limit is 1000', (t) => {
  const every = JSON.stringify({ kind: 'interval', every_seconds: 60 });
  const r = run(['--schedule', every, '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z']);
  t.is((JSON.parse(r.out) as unknown[]).length, 1000);
});

const refused = test.macro((t, args: string[], field: string) => {
  const r = run(args);
  t.is(r.code, 2);
  t.is(r.out, '');
  const body = JSON.parse(r.err) as { error: { code: string; message: string; details: { field: string } } };
  t.is(body.error.code, 'INVALID_INPUT');
  t.is(body.error.details.field, field);
  t.true(body.error.message.length > 0);
});

test('refuses a schedule that is not JSON', refused, ['--schedule', '{kind:', ...span], '--schedule');
test('refuses a missing schedule', refused, span, '--schedule');
test(
  'refuses a bad schedule, naming its field',
  refused,
  ['--schedule', JSON.stringify({ kind: 'daily', times: ['09:00', '25:00'] }), ...span],
  'schedule.times[1]',
);
test(
  'refuses a bad --from',
  refused,
  ['--schedule', daily, '--from', 'yesterday', '--to', '2026-03-10T00:00Z'],
  '--from',
);
test(
  'refuses a --from without offset',
  refused,
  ['--schedule', daily, '--from', '2026-03-07T00:00', '--to', '2026-03-10T00:00Z'],
  '--from',
);
test(
  'refuses February 30 as --to',
  refused,
  ['--schedule', daily, '--from', '2026-02-01T00:00Z', '--to', '2026-02-30T00:00Z'],
  '--to',
);
test('refuses a missing --to', refused, ['--schedule', daily, '--from', '2026-03-07T00:00Z'], '--to');
test(
  'refuses --to before --from',
  refused,
  ['--schedule', daily, '--from', '2026-03-07T00:00Z', '--to', '2026-03-06T00:00Z'],
  '--to',
);
test('refuses a bad --limit', refused, ['--schedule', daily, ...span, '--limit', '0'], '--limit');
test('refuses an unknown --format', refused, ['--schedule', daily, ...span, '--format', 'csv'], '--format');
test('refuses an unknown option', refused, ['--schedule', daily, ...span, '--zone', 'UTC'], '--zone');

test('--help prints the usage', (t) => {
  const r = run(['--help']);
  t.is(r.code, 0);
  t.regex(r.out, /task_scheduler preview --schedule/);
});
