import { isIPv6 } from "node:net";
import type { ThrottleStore, ThrottleTicket } from "../../limits/throttle-store";
import type { ThrottleKey } from "../auth-store";

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

/**
 * The throttling key of a client address: an IPv4 address as it is, an IPv6 address by its /64
 * (one subscriber's network holds a whole /64, so single addresses cost an attacker nothing).
 */
export function addressKey(address: string): string {
  const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  if (!isIPv6(plain)) return plain;
  const [head = "", tail = ""] = plain.toLowerCase().split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const groups = plain.includes("::")
    ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

/** Who is trying to sign in. */
export interface SignInAttempt {
  username: string;
  address: string;
  /** The hash of the browser's device cookie, when it belongs to the account named. */
  knownDevice: string | undefined;
}

/**
 * The throttle of the sign-in form, counted in a {@link ThrottleStore} (the database, or Redis)
 * so it holds across instances.
 * Every attempt is counted before its password is checked, atomically, so guesses sent in
 * parallel cannot slip past a limit; a successful sign-in takes its attempt back.
 */
export interface SignInThrottle {
  /** Counts the attempt, or says how many seconds to wait when a limit is reached. */
  take(attempt: SignInAttempt, now: number): Promise<ThrottleTicket | { retryAfter: number }>;
  /** The password was right: the attempt does not count, nor do this address's earlier failures. */
  succeeded(attempt: SignInAttempt, ticket: ThrottleTicket): Promise<void>;
}

export function createSignInThrottle(store: ThrottleStore, limits: SignInLimits): SignInThrottle {
  const windowMs = limits.windowSeconds * 1000;
  const accountAndAddress = (attempt: SignInAttempt): string =>
    `signin:account+address:${attempt.username.toLowerCase()}|${addressKey(attempt.address)}`;
  const keysOf = (attempt: SignInAttempt): ThrottleKey[] => {
    // A browser that signed in to this account before answers only for itself: neither an
    // attacker on the same network nor one spraying the account can lock its owner out.
    if (attempt.knownDevice !== undefined) {
      return [{ key: `signin:device:${attempt.knownDevice}`, limit: limits.perAccountAndAddress }];
    }
    return [
      { key: accountAndAddress(attempt), limit: limits.perAccountAndAddress },
      { key: `signin:address:${addressKey(attempt.address)}`, limit: limits.perAddress },
      { key: `signin:account:${attempt.username.toLowerCase()}`, limit: limits.perAccount },
    ];
  };
  return {
    take: async (attempt, now) => {
      const taken = await store.take(keysOf(attempt), now, windowMs);
      return taken.allowed ? taken.ticket : { retryAfter: taken.retryAfterSeconds };
    },
    succeeded: async (attempt, ticket) => {
      await store.forget(ticket);
      if (attempt.knownDevice === undefined) await store.clear(accountAndAddress(attempt));
    },
  };
}
