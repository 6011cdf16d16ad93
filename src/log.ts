/**
 * The logger every layer receives (never a global). Structured: a message plus fields.
 * Production: pino (JSON lines on stdout); tests: a memory logger that records lines.
 */
import { pino } from 'pino';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

type PinoLike = {
  debug(o: object, m: string): void;
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
  error(o: object, m: string): void;
  child(o: object): PinoLike;
};

function wrap(p: PinoLike): Logger {
  return {
    debug: (msg, fields = {}) => p.debug(fields, msg),
    info: (msg, fields = {}) => p.info(fields, msg),
    warn: (msg, fields = {}) => p.warn(fields, msg),
    error: (msg, fields = {}) => p.error(fields, msg),
    child: (fields) => wrap(p.child(fields)),
  };
}

/** JSON lines on stdout (or the given stream), with secrets redacted. */
export function createLogger(level: LogLevel = 'info', destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { name: 'task_scheduler' },
    redact: {
      paths: ['authorization', 'token', '*.authorization', '*.token', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
  return wrap(destination ? pino(options, destination) : pino(options));
}

export interface MemoryLogger extends Logger {
  readonly lines: Array<{ level: LogLevel; msg: string } & LogFields>;
}

/** For tests: keeps every line in memory. */
export function createMemoryLogger(base: LogFields = {}, sink?: MemoryLogger['lines']): MemoryLogger {
  const lines: MemoryLogger['lines'] = sink ?? [];
  const at =
    (level: LogLevel) =>
    (msg: string, fields: LogFields = {}) => {
      lines.push({ ...base, ...fields, level, msg });
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => createMemoryLogger({ ...base, ...fields }, lines),
  };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/**
 * Database passwords out of any text shown to people (config output, logs, error messages): the
 * password of a URL's user info (`postgres://user:secret@host`) and a `password=` (or `pass=`,
 * `passwd=`, `pwd=`) query or key-value parameter (`mysql://host/db?password=secret`).
 */
const USER_INFO = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s?#]*:)[^@/\s?#]*@/gi;
const PASSWORD_PARAM = /([?&;\s](?:password|passwd|pass|pwd)=)[^&;#\s]*/gi;

export function maskPasswords(text: string): string {
  return text.replace(USER_INFO, '$1***@').replace(PASSWORD_PARAM, '$1***');
}
