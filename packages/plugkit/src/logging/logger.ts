import { pino, stdSerializers } from "pino";

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
      timestamp: isoTimeField,
      formatters: {
        level: (label) => ({ level: label }),
        log: (details) => censor(details),
      },
      serializers: {
        err: (err: Error) => censor(stdSerializers.err(err)),
        // Also applied to a child logger's bindings, which formatters.log does not see.
        ...Object.fromEntries(SECRET_KEYS.map((key) => [key, () => REDACTED])),
      },
    },
    // Written asynchronously and in batches (a synchronous write per request cost a fifth of
    // the throughput, measured): lines wait until 4 KiB are pending or 50 ms have passed;
    // pino flushes what is pending when the process exits.
    options.destination ?? pino.destination({ sync: false, minLength: 4096, periodicFlush: 50 }),
  );
}

/**
 * pino's `time` field in ISO 8601, formatted once per millisecond: under load many lines share
 * one, and formatting a date per line was a visible share of a request's cost (profiled).
 */
function isoTimeField(): string {
  const now = Date.now();
  if (now !== lastTime.ms)
    lastTime = { ms: now, field: `,"time":"${new Date(now).toISOString()}"` };
  return lastTime.field;
}
let lastTime = { ms: 0, field: "" };

const SECRETS = new Set(SECRET_KEYS);
const REDACTED = "[redacted]";

/**
 * `details` with the values of secret-looking keys replaced, at the top or one plain object
 * down; `details` itself when it has none (the usual case: nothing is copied).
 */
function censor<T extends object>(details: T): T {
  let censored: Record<string, unknown> | undefined;
  const source = details as Record<string, unknown>;
  for (const key in source) {
    const value = source[key];
    let replacement: unknown = value;
    if (SECRETS.has(key)) replacement = REDACTED;
    else if (isPlainObject(value)) replacement = censorOwnKeys(value);
    if (replacement !== value) {
      censored ??= { ...source };
      censored[key] = replacement;
    }
  }
  return (censored ?? details) as T;
}

function censorOwnKeys(value: Record<string, unknown>): Record<string, unknown> {
  let censored: Record<string, unknown> | undefined;
  for (const key in value) {
    if (SECRETS.has(key)) {
      censored ??= { ...value };
      censored[key] = REDACTED;
    }
  }
  return censored ?? value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A logger that writes nothing. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
