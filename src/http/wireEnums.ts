/** Closed sets of wire values, shared by query schemas and response schemas. */
import type { FiringStatus } from '../rules/Firing.js';

export const FIRING_STATUSES = [
  'claimed',
  'dispatched',
  'rejected',
  'timed_out',
  'failed',
  'skipped',
  'missed',
] as const satisfies readonly FiringStatus[];
