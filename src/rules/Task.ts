/**
 * The RMF request a rule sends at each occurrence. Kept in RMF's own JSON shape (snake_case), as
 * `rmf/RMF_INTERFACE.md` §4 describes; the scheduler adds the timestamps, its labels and the
 * requester when it builds the request for one firing (see src/rmf/).
 */
export interface RmfPriority {
  type: string;
  value?: number;
  [key: string]: unknown;
}

/** RMF `task_request.json`, minus the fields the scheduler sets per firing. */
export interface TaskRequestSpec {
  category: string;
  description: unknown;
  priority?: RmfPriority;
  labels?: string[];
  requester?: string;
  fleet_name?: string;
  [key: string]: unknown;
}

export type TaskSpec =
  | { type: 'dispatch_task_request'; request: TaskRequestSpec }
  | { type: 'robot_task_request'; robot: string; fleet: string; request: TaskRequestSpec };
