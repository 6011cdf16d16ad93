/**
 * RMF's place and payload shapes (rmf_fleet_adapter `place.json`,
 * `event_description__payload_transfer.json`), as zod schemas. Objects are loose: RMF allows
 * extra fields everywhere, and a newer fleet adapter may understand fields we do not know.
 */
import { z } from 'zod';

export const waypointSchema = z
  .union([
    z.string().min(1, 'a waypoint name must not be empty'),
    z.number().int('a waypoint index must be an integer').min(0, 'a waypoint index must be ≥ 0'),
  ])
  .describe('A waypoint of the navigation graph: its name, or its index (integer ≥ 0).');

export const placeSchema = z
  .union(
    [
      waypointSchema,
      z.looseObject({
        waypoint: waypointSchema,
        orientation: z.number().optional().describe('Orientation at the waypoint, in radians.'),
      }),
    ],
    { error: 'must be a waypoint name, a waypoint index ≥ 0, or {waypoint, orientation?}' },
  )
  .describe('RMF place: a waypoint name, a waypoint index, or {waypoint, orientation?}.');

export const payloadComponentSchema = z
  .looseObject({
    sku: z.string().describe('Stock keeping unit of the item.'),
    quantity: z.number().int('must be an integer').min(0, 'must be ≥ 0'),
    compartment: z.string().optional(),
  })
  .describe('One kind of item to transfer.');

export const payloadTransferSchema = z
  .looseObject({
    place: placeSchema,
    handler: z.string().optional().describe('The dispenser or ingestor that handles the payload.'),
    payload: z.union([payloadComponentSchema, z.array(payloadComponentSchema)], {
      error: 'must be an item {sku, quantity, compartment?} or a list of items',
    }),
  })
  .describe('A pickup or dropoff: where, which handler, and what.');
