// Structured logs (pino, one JSON object a line) that never carry a secret: passwords, tokens and
// session cookies are redacted wherever they might appear.
import { type DestinationStream, type Logger, pino } from 'pino';

/** Paths redacted from every log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  '*.password',
  '*.token',
  'password',
  'token',
  'body.password',
  'body.token',
];

/** A logger for the server at `level`, writing to `destination` (standard output by default). */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
