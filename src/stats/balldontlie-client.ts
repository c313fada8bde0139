import { HttpError, type Clock } from "plugkit";

/** Options for {@link createBalldontlieClient}. */
export interface BalldontlieClientOptions {
  /** `BALLDONTLIE_API_KEY`, sent as the Authorization header. */
  apiKey: string | undefined;
  /** `BALLDONTLIE_BASE_URL`. @default "https://api.balldontlie.io/v1" */
  baseUrl?: string;
  /** Per-attempt timeout, ms (`STATS_TIMEOUT_MS`). @default 5000 */
  timeoutMs?: number;
  /** Retries after a 429, a 5xx or a network error. @default 2 */
  retries?: number;
  /** First backoff, ms, doubled each retry, with jitter; a Retry-After header wins. @default 300 */
  backoffMs?: number;
  /** Longest wait honoured from Retry-After, ms; longer waits fail fast instead. @default 10000 */
  maxRetryAfterMs?: number;
  /** How long answers are cached, ms (`STATS_CACHE_TTL_SECONDS` × 1000). @default 300000 */
  cacheTtlMs?: number;
  /** Most cached answers. @default 500 */
  cacheSize?: number;
  /** Replaced in tests. */
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Decides when cached answers expire and what an HTTP-date Retry-After means. */
  clock?: Clock;
  /** A number in [0, 1) that spreads the backoff out. @default Math.random */
  jitter?: () => number;
}

/** A query parameter; repeat a name for several values. */
export type QueryParam = readonly [name: string, value: string | number];

/** GETs JSON from the balldontlie API, with the timeout, retries and cache. */
export interface BalldontlieClient {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** The parsed JSON answer, or an HttpError (502/504) that tells the model what to say. */
  get<T>(path: string, params?: readonly QueryParam[]): Promise<T>;
}

/** When to retry, and how long to wait first. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff, ms; doubled each retry. */
  backoffMs: number;
  /** Longest Retry-After wait honoured, ms. */
  maxRetryAfterMs: number;
  /** A number in [0, 1). */
  jitter: () => number;
}

const systemClock: Clock = { now: () => Date.now() };

/** Whether an HTTP status is worth retrying: rate limiting (429) and server errors (5xx). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Whether a fetch failed because its timeout aborted it. */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
}

/** The wait a Retry-After header asks for, ms (delay-seconds or an HTTP date); undefined if none. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The backoff before retry `attempt` (0 for the first): doubling, stretched by up to half. */
export function backoffDelay(attempt: number, backoffMs: number, jitter: number): number {
  return backoffMs * 2 ** attempt * (1 + jitter / 2);
}

/**
 * How long to wait before retrying after failed attempt `attempt` (0 for the first), or
 * undefined to give up: when the retries are spent, or when Retry-After asks for longer than
 * is worth waiting. Retry-After, when given, wins over the backoff.
 */
export function retryDelay(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
): number | undefined {
  if (attempt >= policy.retries) return undefined;
  if (retryAfterMs !== undefined) {
    return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : undefined;
  }
  return backoffDelay(attempt, policy.backoffMs, policy.jitter());
}

/** A small LRU cache whose entries expire `ttlMs` after they were set. */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: V }>();
  constructor(
    private readonly ttlMs: number,
    private readonly size: number,
    private readonly clock: Clock = systemClock,
  ) {}

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    if (this.clock.now() - entry.at > this.ttlMs) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { at: this.clock.now(), value });
    if (this.entries.size > this.size) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }
}

/** A 502 or 504 whose message tells the model to tell the user to try again shortly. */
function upstreamError(status: 502 | 504, message: string, code: string): HttpError {
  return new HttpError(
    status,
    `${message} Tell the user the stats service is unavailable right now and to try again shortly.`,
    { code },
  );
}

/** The error for a fetch that failed on every attempt: a timeout (504) or no connection (502). */
export function networkFailure(timedOut: boolean, timeoutMs: number): HttpError {
  return timedOut
    ? upstreamError(
        504,
        `The stats provider did not answer within ${timeoutMs / 1000} s.`,
        "upstream_timeout",
      )
    : upstreamError(502, "The stats provider could not be reached.", "upstream_unreachable");
}

/** The error for an HTTP error answer that is not retried (again). */
export function statusFailure(status: number, retryAfterMs: number | undefined): HttpError {
  if (status === 429) {
    const seconds = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000);
    return upstreamError(
      502,
      `The stats provider is rate-limiting this plugin${seconds === undefined ? "" : ` for ${seconds} s`}.`,
      "upstream_rate_limited",
    );
  }
  if (status === 401 || status === 403) {
    return upstreamError(
      502,
      "The stats provider refused this plugin's API key.",
      "upstream_unauthorized",
    );
  }
  return upstreamError(502, `The stats provider failed with HTTP ${status}.`, "upstream_error");
}

/** The URL for a path and its query parameters. */
function urlOf(base: string, path: string, params: readonly QueryParam[]): string {
  const query = new URLSearchParams(
    params.map(([name, value]): [string, string] => [name, String(value)]),
  ).toString();
  return `${base}${path}${query === "" ? "" : `?${query}`}`;
}

/**
 * A client for the balldontlie API (https://www.balldontlie.io): every request has a timeout,
 * 429s, 5xx answers and network errors are retried per {@link retryDelay}, answers are cached,
 * and failures become 502/504 errors the model can relay.
 */
export function createBalldontlieClient(options: BalldontlieClientOptions): BalldontlieClient {
  const {
    apiKey,
    baseUrl = "https://api.balldontlie.io/v1",
    timeoutMs = 5000,
    retries = 2,
    backoffMs = 300,
    maxRetryAfterMs = 10_000,
    cacheTtlMs = 300_000,
    cacheSize = 500,
    fetch: fetchImpl = fetch,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    clock = systemClock,
    jitter = Math.random,
  } = options;
  const policy: RetryPolicy = { retries, backoffMs, maxRetryAfterMs, jitter };
  const cache = new TtlCache<unknown>(cacheTtlMs, cacheSize, clock);
  const base = baseUrl.replace(/\/+$/, "");
  const headers = {
    Accept: "application/json",
    ...(apiKey === undefined ? {} : { Authorization: apiKey }),
  };

  async function readJson(response: Response): Promise<unknown> {
    try {
      const body: unknown = await response.json();
      return body;
    } catch {
      throw upstreamError(
        502,
        "The stats provider sent an answer that is not JSON.",
        "upstream_invalid",
      );
    }
  }

  async function fetchWithRetries(url: string): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await fetchImpl(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        const wait = retryDelay(policy, attempt, undefined);
        if (wait === undefined) throw networkFailure(isTimeout(error), timeoutMs);
        await sleep(wait);
        continue;
      }
      if (response.ok) return readJson(response);
      await response.body?.cancel();
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), clock.now());
      const wait = isRetryableStatus(response.status)
        ? retryDelay(policy, attempt, retryAfterMs)
        : undefined;
      if (wait === undefined) throw statusFailure(response.status, retryAfterMs);
      await sleep(wait);
    }
  }

  return {
    baseUrl: base,
    async get<T>(path: string, params: readonly QueryParam[] = []): Promise<T> {
      const url = urlOf(base, path, params);
      const cached = cache.get(url);
      if (cached !== undefined) return cached as T;
      const body = await fetchWithRetries(url);
      cache.set(url, body);
      return body as T;
    },
  };
}
