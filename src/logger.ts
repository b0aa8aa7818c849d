import { type Logger, pino } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout, one object per line. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'loyalty-inference' }, timestamp: pino.stdTimeFunctions.isoTime });
}
