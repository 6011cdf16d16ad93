/**
 * The `task` of a rule: the RMF request it sends at each occurrence (rules/Task.ts), validated
 * with our own schemas, which agree with RMF's official ones (test/rmf/ proves it) and are
 * stricter where RMF's are loose by accident. The fields the scheduler sets at each firing
 * (the two timestamps) are refused.
 */
import { z } from 'zod';
import { DomainError } from '../rules/errors.js';
import type { TaskSpec } from '../rules/Task.js';
import { TASK_DESCRIPTIONS } from './taskDescriptionSchemas.js';
import { forwardIssues, issueMessage, requiredValue, toFieldIssues } from './zodIssues.js';

/** Fields of RMF's task_request the scheduler sets at each firing, and what it sets them to. */
const SET_BY_SCHEDULER: Record<string, string> = {
  unix_millis_earliest_start_time: 'the occurrence instant',
  unix_millis_request_time: 'the publish instant',
};

export const prioritySchema = z
  .looseObject({
    type: z.literal('binary', { error: 'must be "binary" (the only priority RMF fleets understand)' }),
    value: z.union([z.literal(0), z.literal(1)], { error: 'must be 0 (normal) or 1 (high)' }),
  })
  .describe('RMF binary priority: {type: "binary", value: 0|1}; 1 = high.');

export const taskRequestSpecSchema = z
  .looseObject({
    category: z
      .string()
      .min(1, 'must not be empty')
      .describe('patrol, delivery, clean, compose, or a category a fleet registered.'),
    description: requiredValue.describe(
      'The task description; checked against RMF’s schema for the built-in categories (patrol, delivery, clean, compose).',
    ),
    priority: prioritySchema.optional(),
    labels: z.array(z.string()).optional().describe('Extra RMF labels ("key" or "key=value").'),
    requester: z.string().min(1).optional().describe('RMF requester; defaults to the configured requester.'),
    fleet_name: z.string().min(1).optional().describe('Only this fleet may bid (RMF jazzy+).'),
  })
  .superRefine(
    (request, ctx) => {
      for (const [field, what] of Object.entries(SET_BY_SCHEDULER)) {
        if (request[field] !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [field],
            message: `is set by the scheduler at each firing (${what}); leave it out`,
          });
        }
      }
      const schema =
        typeof request.category === 'string' ? TASK_DESCRIPTIONS.get(request.category) : undefined;
      if (schema && request.description !== undefined)
        forwardIssues(ctx, schema, request.description, ['description']);
    },
    { when: ({ value }) => typeof value === 'object' && value !== null && !Array.isArray(value) },
  )
  .describe(
    'RMF task_request without unix_millis_earliest_start_time and unix_millis_request_time: the scheduler sets them at each firing.',
  );

const dispatchSpec = z
  .strictObject({
    type: z.literal('dispatch_task_request'),
    request: taskRequestSpecSchema,
  })
  .describe('Dispatch to the best fleet (RMF bidding).');

const robotSpec = z
  .strictObject({
    type: z.literal('robot_task_request'),
    robot: z.string().min(1).describe('The robot that must do the task.'),
    fleet: z.string().min(1).describe('The fleet of that robot.'),
    request: taskRequestSpecSchema,
  })
  .superRefine(
    (spec, ctx) => {
      const fleetName = spec.request.fleet_name;
      if (fleetName !== undefined && fleetName !== spec.fleet) {
        ctx.addIssue({
          code: 'custom',
          path: ['request', 'fleet_name'],
          message: `must be the robot's fleet "${spec.fleet}" (or be left out)`,
        });
      }
    },
    { when: ({ value }) => typeof (value as { fleet?: unknown } | null)?.fleet === 'string' },
  )
  .describe('Assign directly to one robot of one fleet.');

export const taskSpecSchema = z
  .discriminatedUnion('type', [dispatchSpec, robotSpec], {
    error: 'must be "dispatch_task_request" or "robot_task_request"',
  })
  .describe('The RMF request sent at each occurrence.');

/** Validates a rule's task. Throws DomainError INVALID_INPUT naming each bad field under `path`. */
export function parseTaskSpec(input: unknown, path = 'task'): TaskSpec {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw DomainError.invalid({
      field: path,
      message: 'must be an object {type: "dispatch_task_request" | "robot_task_request", request, …}',
    });
  }
  const result = taskSpecSchema.safeParse(input, { error: issueMessage });
  if (!result.success) throw DomainError.invalid(toFieldIssues(result.error, path));
  return result.data as TaskSpec;
}
