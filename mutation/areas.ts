/**
 * The areas measured by mutation testing: the code where a wrong answer hurts most, each with the
 * few test files that exercise it (every mutant runs all of its area's tests: AVA reports no
 * per-test coverage, so a small, relevant set is what keeps a run within the hour).
 */
import { readFileSync } from 'node:fs';

export interface Area {
  /** What the area decides, for the report. */
  about: string;
  /** Files (or `file:from-to` line ranges) whose mutants are measured. */
  mutate: () => string[];
  /** The test sources run against each mutant (compiled to dist/ in the sandbox). */
  tests: string[];
}

/**
 * The lines of `file` from the first line starting with `from` to the first line after it
 * starting with `to` (inclusive), as Stryker's `file:start-end`. Found by text, so the range
 * follows the code when the file is edited; a missing marker is an error naming it.
 */
export function linesBetween(file: string, from: string, to: string): string {
  const lines = readFileSync(file, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(from));
  if (start < 0) throw new Error(`${file}: no line starts with ${JSON.stringify(from)}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith(to));
  if (end < 0) throw new Error(`${file}: no line starts with ${JSON.stringify(to)} after line ${start + 1}`);
  return `${file}:${start + 1}-${end + 1}`;
}

const MACHINE = 'src/runtime/ruleMachine.ts';

export const AREAS: Record<string, Area> = {
  runtime: {
    about:
      'the runtime decisions: claimDecider, occurrenceSequence, entryPlanner, resume, recovery, ' +
      'and the rule machine’s misfire and retry rules (its guards, delays and isRetryable)',
    mutate: () => [
      'src/runtime/claimDecider.ts',
      'src/runtime/occurrenceSequence.ts',
      'src/runtime/entryPlanner.ts',
      'src/runtime/resume.ts',
      'src/runtime/recovery.ts',
      linesBetween(MACHINE, '    guards: {', '    },'),
      linesBetween(MACHINE, '    delays: {', '    },'),
      linesBetween(MACHINE, 'function isRetryable(', '}'),
    ],
    tests: [
      'test/runtime/claimDecider.test.ts',
      'test/runtime/occurrenceSequence.test.ts',
      'test/runtime/resume.test.ts',
      'test/runtime/entryPlanner.test.ts',
      'test/runtime/recovery.test.ts',
      'test/runtime/ruleMachine.test.ts',
      'test/runtime/engineRestart.test.ts',
      'test/runtime/engineFiring.test.ts',
      'test/runtime/engineChanges.test.ts',
      'test/runtime/exceptDates.test.ts',
    ],
  },
  recurrence: {
    about: 'src/recurrence: schedules compiled to instants in the rule’s zone (DST, month ends)',
    mutate: () => ['src/recurrence/**/*.ts'],
    tests: [
      'test/recurrence/bounds.test.ts',
      'test/recurrence/calendar.test.ts',
      'test/recurrence/dst.test.ts',
      'test/recurrence/properties.test.ts',
      'test/recurrence/types.test.ts',
    ],
  },
  rules: {
    about: 'src/rules: schedules and rule validation (what is accepted, what is refused and why)',
    mutate: () => ['src/rules/**/*.ts'],
    tests: [
      'test/rules/schedules.test.ts',
      'test/rules/ruleSchemas.test.ts',
      'test/rules/ids.test.ts',
      'test/rules/isoInstant.test.ts',
    ],
  },
};
