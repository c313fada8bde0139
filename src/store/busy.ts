import { HttpError } from "../sdk";

/**
 * Runs a database call, turning SQLite's "database is locked" (another process held the write
 * lock for longer than the busy timeout) into a 503 the client can retry, instead of a 500.
 */
export function retryableWhenBusy<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
      throw new HttpError(503, "The database is busy with other writes; retry in a moment.", {
        code: "database_busy",
        headers: { "Retry-After": "1" },
        cause: error,
      });
    }
    throw error;
  }
}
