/**
 * The one error type of the domain. Every boundary (HTTP, ROS, CLI) translates it exactly once;
 * the store translates driver errors into it.
 */
export type ErrorCode =
  | 'INVALID_INPUT' // a value is wrong; details.field names it (dot/bracket path, e.g. "schedule.times[1]")
  | 'RULE_NOT_FOUND'
  | 'OCCURRENCE_NOT_FOUND'
  | 'NOT_FOUND' // any other missing thing
  | 'VERSION_CONFLICT' // optimistic concurrency: details.expected / details.actual
  | 'ALREADY_EXISTS' // unique name taken, etc.
  | 'ALREADY_CLAIMED' // the (rule_id, due_at) firing exists
  | 'NEVER_FIRES' // a schedule with no occurrence in the future
  | 'RULE_DISABLED' // a manual trigger of a disabled rule without force: details.reason says why it is disabled
  | 'STORE_UNAVAILABLE' // the database cannot be reached
  | 'RMF_UNAVAILABLE' // the RMF transport cannot be used
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'INTERNAL';

export interface FieldIssue {
  /** Path of the offending field in the wire format, e.g. "schedule.times[1]". */
  field: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DomainError';
  }

  /** An INVALID_INPUT error naming one or more fields. `details.field` is the first one. */
  static invalid(issues: FieldIssue[] | FieldIssue, message?: string): DomainError {
    const list = Array.isArray(issues) ? issues : [issues];
    const first = list[0];
    const text = message ?? list.map((i) => `${i.field}: ${i.message}`).join('; ');
    return new DomainError('INVALID_INPUT', text, { field: first?.field, issues: list });
  }
}

export const isDomainError = (e: unknown, code?: ErrorCode): e is DomainError =>
  e instanceof DomainError && (code === undefined || e.code === code);
