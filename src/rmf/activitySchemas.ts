/**
 * Activities of a `compose` task (rmf_fleet_adapter `event_description__<category>.json`):
 * each `{category, description}` whose category RMF ships is checked against that category's
 * description shape; other categories (custom events, `dynamic_event`) pass with any description,
 * since only a fleet knows them.
 */
import { z } from 'zod';
import { payloadTransferSchema, placeSchema } from './placeSchemas.js';
import { forwardIssues, requiredValue } from './zodIssues.js';

const startAtDeparture = z
  .boolean()
  .optional()
  .describe('(RMF main) true: the earliest start time is when the robot departs, not when it arrives.');

const goToPlaceObject = z.looseObject({
  place: placeSchema,
  followed_by: z.array(placeSchema).optional().describe('Places the robot may go to next.'),
  start_at_departure: startAtDeparture,
});

const goToOneOf = z.looseObject({
  one_of: z
    .array(placeSchema)
    .min(1, 'must list at least one place')
    .describe('Places to choose from; the robot goes to the nearest one (jazzy+).'),
  constraints: z
    .array(
      z.looseObject({
        category: z.string().describe('e.g. prefer_same_map'),
        description: z.unknown().optional(),
      }),
    )
    .optional(),
  start_at_departure: startAtDeparture,
});

/** go_to_place: a place, {place, followed_by?}, or {one_of: [place…], constraints?}. */
export const goToPlaceSchema = z
  .unknown()
  .superRefine((value, ctx) => {
    const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
    const schema =
      isObject && 'one_of' in value
        ? goToOneOf
        : isObject && 'place' in value
          ? goToPlaceObject
          : placeSchema;
    forwardIssues(ctx, schema, value);
  })
  .describe(
    'go_to_place: a place, {place, followed_by?, start_at_departure?}, or {one_of: [place…], constraints?}.',
  );

export const cleanEventSchema = z
  .looseObject({
    zone: z.string().min(1, 'must name a zone'),
    type: z.string().optional().describe('Cleaning type, if the fleet offers several.'),
  })
  .describe('Clean a zone.');

export const performActionSchema = z
  .looseObject({
    category: z.string().min(1, 'must name the action').describe('The action, as the fleet registered it.'),
    description: requiredValue.describe('Passed to the action executor as is.'),
    unix_millis_action_duration_estimate: z.number().int('must be an integer (milliseconds)').optional(),
    use_tool_sink: z.boolean().optional(),
    expected_finish_location: placeSchema.optional(),
  })
  .describe('perform_action: a custom action the fleet registered.');

/** `{category, description}`; the description is checked when the category is one RMF ships. */
export const activitySchema: z.ZodType<{ category: string; description: unknown }> = z
  .looseObject({
    category: z.string().min(1, 'must name the activity category'),
    description: requiredValue,
  })
  .superRefine(
    (activity, ctx) => {
      const schema = ACTIVITY_DESCRIPTIONS.get(activity.category);
      if (schema && activity.description !== undefined)
        forwardIssues(ctx, schema, activity.description, ['description']);
    },
    { when: ({ value }) => typeof (value as { category?: unknown } | null)?.category === 'string' },
  )
  .describe(
    'An activity {category, description}. Built-in categories: go_to_place, sequence, pickup, dropoff, perform_action, clean.',
  );

const activityList = z.array(activitySchema).min(1, 'must list at least one activity');

export const sequenceSchema = z
  .union([
    activityList,
    z.looseObject({
      activities: activityList,
      category: z.string().optional(),
      detail: z.unknown().optional(),
    }),
  ])
  .describe('sequence: a list of activities, or {activities, category?, detail?}.');

const ACTIVITY_DESCRIPTIONS = new Map<string, z.ZodType>([
  ['go_to_place', goToPlaceSchema],
  ['sequence', sequenceSchema],
  ['pickup', payloadTransferSchema],
  ['dropoff', payloadTransferSchema],
  ['perform_action', performActionSchema],
  ['clean', cleanEventSchema],
]);
