/** The little of a logger src/rmf uses (src/log.ts's Logger satisfies it). */
export interface LogSink {
  debug(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
}

export const silentSink: LogSink = { debug: () => {}, warn: () => {} };
