// The relay's structured log (pino, one JSON object per line). Callers log ids, seqs and outcomes;
// redaction is a second line of defence so a secret, token or body never reaches the log.

import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './settings';

export type { Logger };

/** Field names that must never be written, wherever they appear one level deep. */
const REDACTED = ['secret', 'token', 'body', 'values', 'tabs', 'grid', 'authorization', 'registrationKey', 'registrationKeys', 'metricsToken'];

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACTED, ...REDACTED.map((k) => `*.${k}`)], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
