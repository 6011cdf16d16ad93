import { parseArgs } from 'node:util';
import { DomainError, isDomainError } from '../rules/errors.js';
import { PREVIEW_MAX_LIMIT, previewSchedule } from '../rules/previewSchedule.js';
import { parseLocalDateTime } from '../recurrence/index.js';
import { isoInstant } from '../rules/isoInstant.js';
import { presentScheduleInstant } from '../rules/scheduleInstant.js';

/**
 * `task_scheduler preview --schedule '<json>' --from <ISO> --to <ISO> [--limit N] [--format F]`:
 * prints the occurrences of a wire-form schedule in [from, to) as a JSON array of the objects REST's
 * preview answers (`at`, `at_local`, `dst`, `merged_times`), or with `--format instants` of UTC
 * ISO-8601 instants; or a JSON error `{"error": {code, message, details}}` on stderr, exit code 2.
 */
export interface PreviewIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  now: number;
  defaultTimezone: string;
}

export const PREVIEW_USAGE = `Usage: task_scheduler preview --schedule '<json>' --from <ISO instant> --to <ISO instant> [--limit N] [--format objects|instants]

Prints the occurrences of a schedule in [from, to) as a JSON array: each its UTC instant (at), its
local time with offset in the schedule's zone (at_local), what DST did to it (dst: gap_shifted,
first_of_two or null) and the times of day merged into it (merged_times), as POST /schedules/preview.
  --schedule  the schedule in its wire form (JSON), e.g. '{"kind":"daily","times":["09:00"],"timezone":"Europe/Berlin"}'
  --from      first instant included, ISO-8601 with offset, e.g. 2026-03-08T00:00:00Z
  --to        first instant excluded
  --limit     at most this many occurrences (default 1000)
  --format    objects (default), or instants: an array of UTC instants only
`;

const FORMATS = ['objects', 'instants'] as const;

function format(text: string | undefined): (typeof FORMATS)[number] {
  const value = text ?? 'objects';
  if (!(FORMATS as readonly string[]).includes(value)) {
    throw DomainError.invalid({ field: '--format', message: `must be one of ${FORMATS.join(', ')}` });
  }
  return value as (typeof FORMATS)[number];
}

const INSTANT =
  /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?)(?:\.\d{1,3})?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

function instant(text: string | undefined, field: string): number {
  if (text === undefined) throw DomainError.invalid({ field, message: 'is required' });
  const local = INSTANT.exec(text)?.[1];
  const ms = local !== undefined && !Number.isNaN(parseLocalDateTime(local)) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) {
    throw DomainError.invalid({
      field,
      message: `"${text}" is not an ISO-8601 instant with an offset (e.g. 2026-03-08T00:00:00Z)`,
    });
  }
  return ms;
}

function schedule(text: string | undefined): unknown {
  if (text === undefined) throw DomainError.invalid({ field: '--schedule', message: 'is required' });
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw DomainError.invalid({ field: '--schedule', message: `is not JSON (${(e as Error).message})` });
  }
}

function limit(text: string | undefined): number {
  const n = text === undefined ? 1000 : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= PREVIEW_MAX_LIMIT)) {
    throw DomainError.invalid({
      field: '--limit',
      message: `must be an integer from 1 to ${PREVIEW_MAX_LIMIT}`,
    });
  }
  return n;
}

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        schedule: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        limit: { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (e) {
    const option = /'(-[^']*)'/.exec((e as Error).message)?.[1] ?? 'arguments';
    throw DomainError.invalid({ field: option, message: (e as Error).message });
  }
}

export function runPreview(args: string[], io: PreviewIo): number {
  try {
    const values = parse(args);
    if (values.help === true) {
      io.stdout(PREVIEW_USAGE);
      return 0;
    }
    const wire = schedule(values.schedule);
    const from = instant(values.from, '--from');
    const to = instant(values.to, '--to');
    if (to < from) throw DomainError.invalid({ field: '--to', message: 'must not be before --from' });
    const shape = format(values.format);
    const {
      schedule: normal,
      instants,
      next,
    } = previewSchedule(
      wire,
      { defaultTimezone: io.defaultTimezone, now: io.now },
      from,
      to,
      limit(values.limit),
    );
    const items =
      shape === 'instants'
        ? instants.map((ms) => isoInstant(ms))
        : instants.map((ms) => presentScheduleInstant(normal, ms));
    io.stdout(`${JSON.stringify(items)}\n`);
    if (next !== null) {
      // Cut by --limit: say so, and where to go on.
      io.stderr(
        `preview: cut at ${instants.length} (--limit); the next is ${isoInstant(next)}: pass it as --from to go on\n`,
      );
    }
    return 0;
  } catch (e) {
    if (!isDomainError(e)) throw e;
    io.stderr(
      `${JSON.stringify({ error: { code: e.code, message: e.message, details: e.details ?? {} } })}\n`,
    );
    return 2;
  }
}
