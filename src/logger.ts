import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout, one object per line. */
export function createLogger(level: string, fields: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'loyalty-inference', ...fields },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
