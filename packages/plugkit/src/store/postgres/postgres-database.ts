import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import type pg from "pg";
import type { PostgresLocation, PostgresTls } from "../../config/postgres-url";
import { ConfigError, ServiceUnavailableError } from "../../errors";
import { silentLogger, type Logger } from "../../logging/logger";

/** Something that runs SQL: the pool, or one transaction's connection. */
export interface PostgresQueryable {
  /**
   * Runs one statement with `$1`-style parameters. `bigint` columns (ids, counts, times in
   * milliseconds) arrive as numbers.
   */
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names its rows' shape, as with pg's own query
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    values?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

/** A plugin's PostgreSQL database: a pool, migrated before it answers. */
export interface PostgresDatabase extends PostgresQueryable {
  /**
   * Runs `work` in a transaction on one connection: committed when it resolves, rolled back
   * when it throws. A serialization failure or deadlock retries the whole of `work` (up to
   * three times), so `work` must not have effects outside the database.
   */
  transaction<T>(work: (tx: PostgresQueryable) => Promise<T>): Promise<T>;
  /** The underlying pool, for what the methods above do not cover. */
  readonly pool: pg.Pool;
}

/** How long a request waits for a free connection, or for a new one, before a 503. */
const CONNECT_TIMEOUT_MS = 5_000;
/** Longest a statement may run before the server cancels it. */
const STATEMENT_TIMEOUT_MS = 30_000;
/** What a client is told to wait before retrying when the database does not answer. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

// Node's socket errors and the SQLSTATE classes that mean "no usable server": connection
// exceptions, shutdowns, too many connections, a missing database or a refused login.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);
const UNAVAILABLE_SQLSTATES = /^(08|57P0[1-3]|53300|3D000|28)/;

/** True when `error` says the database cannot be reached or will not serve this process. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code)))
    return true;
  return (
    typeof message === "string" &&
    /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed|Cannot use a pool after calling end/i.test(
      message,
    )
  );
}

/** The 503 a request gets while the database does not answer. */
export function databaseUnavailable(cause?: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError(
    "The database is not answering. Retry in a few seconds.",
    DATABASE_RETRY_AFTER_SECONDS,
    { code: "database_unavailable", cause },
  );
}

/** Node's TLS options for the URL's `sslmode`. */
export function tlsOptions(tls: PostgresTls): false | ConnectionOptions {
  switch (tls.mode) {
    case "off":
      return false;
    case "encrypt":
      return { rejectUnauthorized: false };
    case "verify-ca":
    case "verify-full": {
      let ca: string | undefined;
      if (tls.caFile !== undefined) {
        try {
          ca = readFileSync(tls.caFile, "utf8");
        } catch (error) {
          throw new ConfigError(
            `DATABASE_URL: sslrootcert ${tls.caFile} cannot be read (${(error as Error).message})`,
          );
        }
      }
      return {
        rejectUnauthorized: true,
        ...(ca === undefined ? {} : { ca }),
        // verify-ca checks the chain only, not that the certificate names the host.
        ...(tls.mode === "verify-ca" ? { checkServerIdentity: () => undefined } : {}),
      };
    }
  }
}

/** node-postgres, loaded when a PostgreSQL database is opened (a SQLite plugin never loads it). */
function loadPg(): typeof pg {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("pg") as typeof pg;
}

/** Opens a pool on the URL's server; no connection is made until the first query. */
export function createPostgresPool(location: PostgresLocation, logger: Logger): pg.Pool {
  const { Pool, TypeOverrides, types: builtinTypes } = loadPg();
  // bigint (int8) columns as numbers: ids, counts and millisecond times stay far below 2^53.
  // This pool's own parsers: the process-wide pg.types are left alone.
  const types = new TypeOverrides();
  types.setTypeParser(builtinTypes.builtins.INT8, (value: string) => Number(value));
  const pool = new Pool({
    connectionString: location.connectionString,
    ssl: tlsOptions(location.tls),
    max: location.poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    statement_timeout: STATEMENT_TIMEOUT_MS,
    application_name: "plugkit",
    types,
  });
  // An idle connection that the server drops (a restart, a failover) is reported here; without
  // a listener it would crash the process.
  pool.on("error", (error) => {
    logger.warn(
      { database: location.display, err: error.message },
      "an idle database connection was lost",
    );
  });
  return pool;
}

const RETRYABLE_SQLSTATES = new Set(["40001", "40P01"]);

/**
 * The {@link PostgresDatabase} of a pool. Until `isReady()` says so (the migrations have run),
 * every query answers 503; so does every query the server cannot take.
 */
export function createPostgresDatabase(
  pool: pg.Pool,
  isReady: () => boolean,
  logger: Logger = silentLogger,
): PostgresDatabase {
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    if (!isReady()) throw databaseUnavailable();
    try {
      return await run();
    } catch (error) {
      if (isDatabaseUnavailable(error)) throw databaseUnavailable(error);
      throw error;
    }
  };
  const queryOn =
    (target: pg.Pool | pg.PoolClient): PostgresQueryable["query"] =>
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- as in PostgresQueryable
    async <Row extends object>(sql: string, values?: readonly unknown[]) => {
      const result = await target.query<Row>(sql, values as unknown[] | undefined);
      return { rows: result.rows, rowCount: result.rowCount ?? 0 };
    };
  return {
    pool,
    query: (sql, values) => guard(() => queryOn(pool)(sql, values)),
    transaction: (work) =>
      guard(async () => {
        for (let attempt = 1; ; attempt++) {
          const client = await pool.connect();
          let broken: unknown;
          // While checked out, a client's connection errors are not the pool's: without a
          // listener, a reset between two statements would crash the process.
          const onError = (error: Error): void => {
            broken = error;
          };
          client.on("error", onError);
          try {
            await client.query("BEGIN");
            const result = await work({ query: queryOn(client) });
            await client.query("COMMIT");
            return result;
          } catch (error) {
            await client.query("ROLLBACK").catch((rollbackError: unknown) => {
              broken = rollbackError;
            });
            const code = (error as { code?: unknown }).code;
            if (typeof code === "string" && RETRYABLE_SQLSTATES.has(code) && attempt < 3) {
              logger.debug({ code, attempt }, "transaction retried");
              continue;
            }
            throw error;
          } finally {
            // A connection that failed is discarded, not returned to the pool.
            client.off("error", onError);
            client.release(broken instanceof Error ? broken : undefined);
          }
        }
      }),
  };
}
