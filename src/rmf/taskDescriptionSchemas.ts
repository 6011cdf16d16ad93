/**
 * Descriptions of RMF's built-in task categories (rmf_fleet_adapter
 * `task_description__<category>.json`). Where RMF's schema is loose by accident (`"minimum": 1`
 * on arrays, meant as `minItems`), we are strict: an empty patrol or compose task is refused.
 */
import { z } from 'zod';
import { activitySchema, cleanEventSchema } from './activitySchemas.js';
import { payloadTransferSchema, placeSchema } from './placeSchemas.js';

export const patrolDescriptionSchema = z
  .looseObject({
    places: z
      .array(placeSchema)
      .min(1, 'must list at least one place')
      .describe('Places to patrol between, in order.'),
    rounds: z
      .number()
      .int('must be an integer')
      .min(1, 'must be ≥ 1')
      .optional()
      .describe('How many times to patrol the places (RMF default 1).'),
  })
  .describe('patrol: {places: [place…], rounds?}. A fleet bids only if it has the loop capability.');

export const deliveryDescriptionSchema = z
  .looseObject({ pickup: payloadTransferSchema, dropoff: payloadTransferSchema })
  .describe('delivery: {pickup, dropoff}, each {place, handler?, payload}.');

export const cleanDescriptionSchema = cleanEventSchema.describe(
  'clean: {zone, type?}. Needs a fleet with the clean capability (rmf_demos send cleaning as compose + perform_action).',
);

export const composePhaseSchema = z
  .looseObject({
    activity: activitySchema,
    on_cancel: z
      .array(activitySchema)
      .optional()
      .describe('Activities to perform if the task is canceled in this phase.'),
  })
  .describe('One phase of a composed task.');

export const composeDescriptionSchema = z
  .looseObject({
    category: z.string().optional().describe('The category operators see for this task.'),
    detail: z.string().optional().describe('The detail operators see for this task.'),
    phases: z.array(composePhaseSchema).min(1, 'must list at least one phase'),
  })
  .describe('compose: {category?, detail?, phases: [{activity, on_cancel?}…]}.');

/** Description schema of each built-in category; other categories take any JSON description. */
export const TASK_DESCRIPTIONS: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  ['patrol', patrolDescriptionSchema],
  ['delivery', deliveryDescriptionSchema],
  ['clean', cleanDescriptionSchema],
  ['compose', composeDescriptionSchema],
]);
