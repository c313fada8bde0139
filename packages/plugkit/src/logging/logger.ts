import { pino, stdSerializers, stdTimeFunctions } from "pino";

/** The levels a {@link Logger} writes, lowest first. */
export const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Where plugkit writes what happens: one JSON object per line. Every line written while
 * handling a request carries that request's `request_id` (the logger is a child bound to it).
 * A pino logger is one; tests can pass anything with these methods.
 */
export interface Logger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
  /** A logger that adds `bindings` to every line. */
  child(bindings: Record<string, unknown>): Logger;
}

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** `LOG_LEVEL`: the lowest level written. @default "info" */
  level?: LogLevel;
  /** Where lines go. @default standard output */
  destination?: { write(line: string): void };
}

// Keys whose values are never written, wherever a caller puts them (at the top or one level
// down). plugkit never logs such values in the first place; this is the second line.
const SECRET_KEYS = [
  "password",
  "passwordHash",
  "token",
  "access_token",
  "refresh_token",
  "client_secret",
  "code",
  "code_verifier",
  "authorization",
  "cookie",
  "set-cookie",
  "secret",
];

/**
 * A pino logger writing JSON lines: `level` as a word, `time` in ISO 8601, the message in `msg`,
 * errors under `err` with their stack, and the values of secret-looking keys replaced.
 *
 * @example
 * const logger = createLogger({ level: config.logLevel });
 * logger.info({ port }, "listening");
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? "info",
      base: undefined,
      timestamp: stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      serializers: { err: stdSerializers.err },
      redact: {
        paths: SECRET_KEYS.flatMap((key) => [`["${key}"]`, `*["${key}"]`]),
        censor: "[redacted]",
      },
    },
    // Written asynchronously (a synchronous write per request cost a fifth of the throughput,
    // measured); pino flushes what is pending when the process exits.
    options.destination ?? pino.destination({ sync: false }),
  );
}

/** A logger that writes nothing. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
