import type { AuthStore } from "../auth-store";

/** How many failed sign-ins each key allows per window. */
export interface SignInLimits {
  /** Per account and client address: one address guessing one account's password. @default 10 */
  perAccountAndAddress: number;
  /** Per client address, over every account: one address spraying many. @default 30 */
  perAddress: number;
  /**
   * Per account, over every address: many addresses guessing one account. A browser that has
   * signed in to the account before (its device cookie) is exempt, so attackers cannot lock
   * the owner out; it has its own per-device limit instead. @default 100
   */
  perAccount: number;
  /** @default 900 (15 minutes) */
  windowSeconds: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perAccountAndAddress: 10,
  perAddress: 30,
  perAccount: 100,
  windowSeconds: 900,
};

/** Who is trying to sign in. */
export interface SignInAttempt {
  username: string;
  address: string;
  /** The account the username names, when it exists. */
  accountId: number | undefined;
  /** The hash of the browser's device cookie, when it belongs to that account. */
  knownDevice: string | undefined;
}

/** The throttle of the sign-in page, counted in the auth store so it holds across processes. */
export interface SignInThrottle {
  /** Seconds to wait before the next attempt, or 0 when it may go ahead. */
  retryAfter(attempt: SignInAttempt, now: number): Promise<number>;
  recordFailure(attempt: SignInAttempt, now: number): Promise<void>;
  /** A successful sign-in forgives this address's failures on the account. */
  recordSuccess(attempt: SignInAttempt): Promise<void>;
}

export function createSignInThrottle(store: AuthStore, limits: SignInLimits): SignInThrottle {
  const windowMs = limits.windowSeconds * 1000;
  const keysOf = (attempt: SignInAttempt): { key: string; limit: number }[] => {
    const account = attempt.username.toLowerCase();
    const keys = [
      {
        key: `signin:account+address:${account}|${attempt.address}`,
        limit: limits.perAccountAndAddress,
      },
      { key: `signin:address:${attempt.address}`, limit: limits.perAddress },
    ];
    keys.push(
      attempt.knownDevice === undefined
        ? { key: `signin:account:${account}`, limit: limits.perAccount }
        : { key: `signin:device:${attempt.knownDevice}`, limit: limits.perAccountAndAddress },
    );
    return keys;
  };
  return {
    retryAfter: async (attempt, now) => {
      let wait = 0;
      for (const { key, limit } of keysOf(attempt)) {
        const { count, oldest } = await store.countThrottleEvents(key, now - windowMs);
        if (count >= limit) {
          wait = Math.max(wait, Math.ceil(((oldest ?? now) + windowMs - now) / 1000), 1);
        }
      }
      return wait;
    },
    recordFailure: async (attempt, now) => {
      const keys = keysOf(attempt);
      // A known device's failures count against the device, and the account's cap still counts
      // every failure from unknown browsers.
      for (const { key } of keys) await store.recordThrottleEvent(key, now, now - windowMs);
    },
    recordSuccess: async (attempt) => {
      await store.clearThrottleEvents(keysOf(attempt)[0]?.key ?? "");
    },
  };
}
