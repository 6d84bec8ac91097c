import { pino } from 'pino';

export type Logger = pino.Logger;

/** JSON logs to stdout; tests pass level 'silent'. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: undefined });
}
