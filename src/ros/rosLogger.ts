/**
 * A Logger that writes each line to the given logger and to the node's ROS logger (console and
 * /rosout), so `ros2 topic echo /rosout` and rqt_console show the scheduler's log. Fields are
 * appended as `key=value`.
 */
import type { LogFields, Logger } from '../log.js';
import type { RclLogging } from './rclSurface.js';

function render(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) ? JSON.stringify(value) : value;
  if (value instanceof Error) return JSON.stringify(value.message);
  try {
    return (
      JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? String(value)
    );
  } catch {
    return String(value);
  }
}

/** "message key=value key2=value2". */
export function formatLine(msg: string, fields: LogFields): string {
  const parts = Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${render(v)}`);
  return parts.length === 0 ? msg : `${msg} ${parts.join(' ')}`;
}

/**
 * Tees `base` into `ros`. `isOpen` says whether the node still exists (after shutdown, lines go
 * to `base` only).
 */
export function teeToRos(
  base: Logger,
  ros: RclLogging,
  isOpen: () => boolean,
  bound: LogFields = {},
): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (msg: string, fields: LogFields = {}): void => {
      base[level](msg, fields);
      if (!isOpen()) return;
      try {
        ros[level](formatLine(msg, { ...bound, ...fields }));
      } catch {
        // a ROS logging failure must never break the caller
      }
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => teeToRos(base.child(fields), ros, isOpen, { ...bound, ...fields }),
  };
}
