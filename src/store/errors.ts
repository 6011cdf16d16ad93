/**
 * The one place that translates database driver errors into DomainError. Everything that leaves
 * src/store/ is either a domain value or a DomainError.
 */
import { DomainError } from '../rules/errors.js';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'ER_CON_COUNT_ERROR',
  'ER_CONNECTION_KILLED',
  'ER_SOCKET_UNEXPECTED_CLOSE',
  'ER_GET_CONNECTION_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
  // A full disk or a read-only file: writes fail until someone frees space or fixes permissions.
  'SQLITE_FULL',
  'SQLITE_READONLY',
  // PostgreSQL: admin shutdown, crash shutdown, cannot connect now, connection exceptions.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);

const CONNECTION_ERROR_NAMES = new Set([
  'SequelizeConnectionError',
  'SequelizeConnectionRefusedError',
  'SequelizeConnectionTimedOutError',
  'SequelizeConnectionAcquireTimeoutError',
  'SequelizeHostNotFoundError',
  'SequelizeHostNotReachableError',
  'SequelizeAccessDeniedError',
  'SequelizeInvalidConnectionError',
  'TimeoutError',
]);

const CONNECTION_MESSAGES =
  /connection terminated|terminating connection|connection (is )?closed|closed state|not queryable|socket hang up|socket has unexpectedly been closed|connection lost|connect ECONNREFUSED|read ECONNRESET|timeout|timed out|server has gone away|cannot enqueue|database is locked|SQLITE_BUSY|SQLITE_FULL|SQLITE_READONLY/i;

type AnyError = Error & {
  code?: unknown;
  errno?: unknown;
  parent?: AnyError;
  original?: AnyError;
  fields?: unknown;
  errors?: unknown;
};

function chain(err: unknown): AnyError[] {
  const out: AnyError[] = [];
  let e: unknown = err;
  for (let i = 0; i < 5 && e instanceof Error; i++) {
    out.push(e as AnyError);
    const next: unknown = (e as AnyError).parent ?? (e as AnyError).original ?? (e as Error).cause;
    if (next === e) break;
    e = next;
  }
  return out;
}

/**
 * A failure to get a connection at all (nothing was sent, so trying again is safe). The pool can
 * hand a stale connect failure to the next caller once the database is back; one retry absorbs it.
 */
export function isAcquireError(err: unknown): boolean {
  return chain(err).some((e) => CONNECTION_ERROR_NAMES.has(e.name) && e.name !== 'TimeoutError');
}

/** True if the error says the database cannot be reached (or is busy past its timeout). */
export function isConnectionError(err: unknown): boolean {
  return chain(err).some(
    (e) =>
      CONNECTION_ERROR_NAMES.has(e.name) ||
      (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) ||
      CONNECTION_MESSAGES.test(e.message),
  );
}

export function isUniqueViolation(err: unknown): boolean {
  return chain(err).some(
    (e) =>
      e.name === 'SequelizeUniqueConstraintError' ||
      e.code === '23505' ||
      e.code === 'ER_DUP_ENTRY' ||
      (typeof e.message === 'string' && e.message.includes('UNIQUE constraint failed')),
  );
}

/** A deadlock or serialization failure: the whole transaction may simply be run again. */
export function isRetryableConflict(err: unknown): boolean {
  return chain(err).some(
    (e) =>
      e.code === '40P01' ||
      e.code === '40001' ||
      e.code === 'ER_LOCK_DEADLOCK' ||
      e.code === 'ER_LOCK_WAIT_TIMEOUT' ||
      e.name === 'SequelizeTimeoutError' ||
      /deadlock/i.test(e.message),
  );
}

/** The driver's text of an error (message plus any detail), for matching constraint names. */
export function errorText(err: unknown): string {
  return chain(err)
    .map(
      (e) =>
        `${e.message} ${String((e as { detail?: unknown }).detail ?? '')} ${JSON.stringify(e.fields ?? '')}`,
    )
    .join(' ');
}

/**
 * Translates anything thrown by the driver into a DomainError. DomainErrors pass through;
 * connection failures become STORE_UNAVAILABLE; the rest INTERNAL (the driver error as cause).
 */
export function toDomainError(err: unknown, what: string): DomainError {
  if (err instanceof DomainError) return err;
  if (isConnectionError(err)) {
    return new DomainError(
      'STORE_UNAVAILABLE',
      `The store cannot be reached (${what}): ${err instanceof Error ? err.message : String(err)}`,
      { operation: what },
      { cause: err },
    );
  }
  if (isUniqueViolation(err)) {
    return new DomainError('ALREADY_EXISTS', `${what}: a row with the same key already exists`, undefined, {
      cause: err,
    });
  }
  return new DomainError(
    'INTERNAL',
    `Store error (${what}): ${err instanceof Error ? err.message : String(err)}`,
    { operation: what },
    { cause: err },
  );
}
