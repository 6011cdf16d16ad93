/** Request bodies and helpers shared by the HTTP tests. */
import { randomUUID } from 'node:crypto';
import type { ExecutionContext, TestFn } from 'ava';
import {
  ALL_DIALECTS,
  createTestApp,
  DIALECTS,
  type AppDialect,
  type TestApp,
  type TestAppOptions,
} from '../helpers/testApp.js';

export { ALL_DIALECTS, DIALECTS };

export const patrolTask = {
  type: 'dispatch_task_request',
  request: { category: 'patrol', description: { places: ['pantry', 'lounge'], rounds: 1 } },
};

/** A local date-time in UTC, `days` from now, at 09:30 (no offset, as schedules take it). */
export function localDay(days: number, time = '09:30'): string {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.toISOString().slice(0, 10)}T${time}`;
}

export const uniqueName = (prefix = 'rule'): string => `${prefix}-${randomUUID().slice(0, 8)}`;

export function ruleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: uniqueName(),
    description: 'Night patrol of the pantry and lounge',
    schedule: { kind: 'daily', times: ['09:30', '21:30'], timezone: 'UTC' },
    task: patrolTask,
    labels: ['night'],
    metadata: { ward: 'B', floor: 2 },
    ...overrides,
  };
}

/**
 * One app per dialect for a whole test file (its tests share it and use unique names):
 *   const appOf = useApps(test);  …  for (const d of DIALECTS) test(`${d}: …`, (t) => appOf(d).http…)
 */
export function useApps(
  test: TestFn,
  options: Omit<TestAppOptions, 'dialect'> & { dialects?: readonly AppDialect[] } = {},
): (dialect: AppDialect) => TestApp {
  const apps = new Map<AppDialect, TestApp>();
  const { dialects = DIALECTS, ...appOptions } = options;
  test.before(async () => {
    await Promise.all(
      dialects.map(async (dialect) => apps.set(dialect, await createTestApp({ ...appOptions, dialect }))),
    );
  });
  test.after.always(async () => {
    await Promise.all([...apps.values()].map((app) => app.close()));
  });
  return (dialect) => {
    const app = apps.get(dialect);
    if (!app) throw new Error(`the ${dialect} app did not start`);
    return app;
  };
}

export function errorOf(
  t: ExecutionContext,
  body: unknown,
): { code: string; message: string; details: Record<string, unknown> } {
  const error = (body as { error?: { code: string; message: string; details: Record<string, unknown> } })
    .error;
  if (!error) t.fail(`not an error body: ${JSON.stringify(body)}`);
  return error as { code: string; message: string; details: Record<string, unknown> };
}

/** The field names an INVALID_INPUT error lists. */
export function fieldsOf(body: unknown): string[] {
  const details = (body as { error?: { details?: { issues?: Array<{ field: string }> } } }).error?.details;
  return (details?.issues ?? []).map((i) => i.field);
}
