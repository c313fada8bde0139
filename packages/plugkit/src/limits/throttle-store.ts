import type { AuthStore, ThrottleKey } from "../auth/auth-store";

/** An attempt a {@link ThrottleStore} counted; a success can take it back. */
export interface ThrottleTicket {
  readonly ids: readonly string[];
}

/** The answer of {@link ThrottleStore.take}. */
export type ThrottleDecision =
  | { allowed: true; ticket: ThrottleTicket }
  /** Refused: no key was counted; `retryAfterSeconds` until the oldest counted attempt leaves the window. */
  | { allowed: false; retryAfterSeconds: number };

/**
 * Sliding-window counters of attempts (sign-ins, registrations) that hold across server
 * instances: in the database by default, in Redis when `REDIS_URL` is set.
 */
export interface ThrottleStore {
  /**
   * Counts an attempt against every key at once, unless one of them already has `limit`
   * attempts within the last `windowMs`: atomic, so attempts in parallel (on any instance)
   * cannot slip past a limit.
   */
  take(keys: readonly ThrottleKey[], now: number, windowMs: number): Promise<ThrottleDecision>;
  /** Takes back the attempts of a ticket (a sign-in that succeeded). */
  forget(ticket: ThrottleTicket): Promise<void>;
  /** Forgets every attempt counted against a key. */
  clear(key: string): Promise<void>;
}

/** Seconds until an attempt made at `oldest` leaves a window of `windowMs`, at least 1. */
export function secondsUntilFree(oldest: number, windowMs: number, now: number): number {
  return Math.max(1, Math.ceil((oldest + windowMs - now) / 1000));
}

/** The throttle in plugkit's own tables (the default): shared by every instance on the database. */
export function databaseThrottleStore(store: AuthStore): ThrottleStore {
  return {
    take: async (keys, now, windowMs) => {
      const taken = await store.takeThrottleAttempt(keys, now, now - windowMs);
      return taken.allowed
        ? { allowed: true, ticket: { ids: taken.eventIds.map(String) } }
        : { allowed: false, retryAfterSeconds: secondsUntilFree(taken.oldest, windowMs, now) };
    },
    forget: (ticket) => store.forgetThrottleEvents(ticket.ids.map(Number)),
    clear: (key) => store.clearThrottleEvents(key),
  };
}
