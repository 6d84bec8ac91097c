/** Test helper: a pino logger whose lines land in an array, to assert what was (not) logged as an error. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { Logger } from '../logger.ts';

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export function captureLog(level = 'warn'): { log: Logger; lines: LogLine[]; errors(): LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  // pino's error level is 50
  return { log: pino({ level, base: undefined }, sink), lines, errors: () => lines.filter((l) => l.level >= 50) };
}
