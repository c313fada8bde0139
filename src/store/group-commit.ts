import type Database from "better-sqlite3";

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a SQLite connection: writes that arrive in the same turn of the event loop
 * run in one IMMEDIATE transaction, each in a savepoint of its own (so one write's failure
 * undoes only that write), and are all acknowledged after the one commit, with its one fsync
 * (`synchronous = FULL`). Durability is unchanged: no write is acknowledged before it is on
 * disk; concurrent writes only share the wait.
 */
export function createGroupCommit(db: Database.Database) {
  let queue: Pending[] = [];
  const runAll = db.transaction((batch: Pending[]) =>
    batch.map((pending): { ok: true; value: unknown } | { ok: false; error: unknown } => {
      try {
        return { ok: true, value: pending.run() };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );
  const flush = (): void => {
    const batch = queue;
    queue = [];
    let results: ReturnType<typeof runAll>;
    try {
      results = runAll.immediate(batch);
    } catch (error) {
      // The transaction itself failed (the database busy past its timeout): nothing was written.
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const result = results[i];
      if (result?.ok === true) pending.resolve(result.value);
      else pending.reject(result?.error);
    });
  };
  return {
    /**
     * Runs `work` (a `db.transaction(...)` function, which becomes a savepoint inside the
     * batch's transaction) with the other writes of this turn; resolves once committed.
     */
    write<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        if (queue.length === 0) setImmediate(flush);
        queue.push({ run: work, resolve: resolve as (value: unknown) => void, reject });
      });
    },
  };
}
