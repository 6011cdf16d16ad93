/** Task specs for the RMF tests, taken from the shared RMF examples (timestamps removed). */
import type { TaskSpec } from '../../src/rules/Task.js';
import { exampleNames, readExample } from '../helpers/rmfSchemas.js';

/** An example request file as the `task` of a rule: the same request minus the two timestamps. */
export function specFromExample(name: string): TaskSpec {
  const example = readExample(name) as { request: Record<string, unknown> } & Record<string, unknown>;
  const { unix_millis_earliest_start_time: _e, unix_millis_request_time: _r, ...request } = example.request;
  return { ...example, request } as TaskSpec;
}

/** Every dispatch_task_request__* and robot_task_request__* example. */
export const requestExamples = (): string[] => [
  ...exampleNames('dispatch_task_request__'),
  ...exampleNames('robot_task_request__'),
];

/** The same request sent straight to one robot. */
export function asRobotTask(spec: TaskSpec, robot = 'tinyRobot1', fleet = 'tinyRobot'): TaskSpec {
  const { fleet_name: _f, ...request } = spec.request;
  return { type: 'robot_task_request', robot, fleet, request };
}

/** The same request sent through the dispatcher. */
export function asDispatchTask(spec: TaskSpec): TaskSpec {
  return { type: 'dispatch_task_request', request: spec.request };
}
