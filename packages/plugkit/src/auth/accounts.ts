import type { Account, ApiTokenInfo, AuthStore, OAuthGrantInfo } from "./auth-store";
import { systemClock, type Clock } from "./clock";
import { USER_TOKEN_PREFIX } from "./plugin-auth";
import { generateToken, hashPassword, hashToken } from "./secrets";

/** A username: 1-64 letters, digits, `.`, `_`, `@` or `-`, starting with a letter or digit. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
/** Passwords are at least this many characters (code points). */
export const MIN_PASSWORD_LENGTH = 10;
const MAX_PASSWORD_LENGTH = 1024;

/** A request the accounts service refuses: a taken username, a short password, no such token. */
export class AccountError extends Error {
  override readonly name = "AccountError";
}

/** Accounts (for `user_http` and `oauth` sign-in) and their API tokens (for `user_http`). */
export interface AccountService {
  /** Creates an account; its password is stored as a salted scrypt hash. */
  create(username: string, password: string): Promise<Account>;
  /** Sets a new password and revokes every OAuth grant of the account (its sessions elsewhere). */
  setPassword(
    username: string,
    password: string,
  ): Promise<{ account: Account; revokedGrants: number }>;
  /** Deletes an account with its tokens and, through the database, its data. */
  remove(username: string): Promise<Account>;
  list(): Promise<Account[]>;
  /** Issues an API token; the token is returned once and only its hash is stored. */
  issueToken(username: string, label?: string): Promise<{ token: string; info: ApiTokenInfo }>;
  listTokens(username: string): Promise<{ account: Account; tokens: ApiTokenInfo[] }>;
  revokeToken(username: string, tokenId: number): Promise<Account>;
  /** The OAuth grants the account has given (one per application it signed in to). */
  listGrants(username: string): Promise<{ account: Account; grants: OAuthGrantInfo[] }>;
  /** Revokes one grant: the application's tokens stop working at once. */
  revokeGrant(username: string, grantId: number): Promise<Account>;
}

/**
 * The accounts of a plugin's database, as the accounts CLI and tests manage them.
 *
 * @example
 * const accounts = createAccountService(database.auth);
 * await accounts.create("alice", "a long password");
 * const { token } = await accounts.issueToken("alice");
 */
export function createAccountService(store: AuthStore, clock: Clock = systemClock): AccountService {
  const find = async (username: string) => {
    const found = await store.findAccountByUsername(username);
    if (found === undefined) throw new AccountError(`no account named "${username}"`);
    return { id: found.id, username: found.username };
  };
  const checkPassword = (password: string): string => {
    if ([...password].length < MIN_PASSWORD_LENGTH) {
      throw new AccountError(`the password must be at least ${MIN_PASSWORD_LENGTH} characters`);
    }
    if (password.length > MAX_PASSWORD_LENGTH) {
      throw new AccountError(`the password must be at most ${MAX_PASSWORD_LENGTH} characters`);
    }
    return password;
  };
  return {
    create: async (username, password) => {
      if (!USERNAME_PATTERN.test(username)) {
        throw new AccountError(
          "a username is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
        );
      }
      const created = await store.createAccount(
        username,
        await hashPassword(checkPassword(password)),
      );
      if (created === undefined)
        throw new AccountError(`an account named "${username}" already exists`);
      return created;
    },
    setPassword: async (username, password) => {
      const account = await find(username);
      await store.setPasswordHash(account.id, await hashPassword(checkPassword(password)));
      return { account, revokedGrants: await store.revokeAllGrants(account.id, clock.now()) };
    },
    remove: async (username) => {
      const account = await find(username);
      await store.deleteAccount(account.id);
      return account;
    },
    list: () => store.listAccounts(),
    issueToken: async (username, label = "ChatGPT") => {
      const account = await find(username);
      const token = generateToken(USER_TOKEN_PREFIX);
      const info = await store.createApiToken(account.id, hashToken(token), label, clock.now());
      return { token, info };
    },
    listTokens: async (username) => {
      const account = await find(username);
      return { account, tokens: await store.listApiTokens(account.id) };
    },
    listGrants: async (username) => {
      const account = await find(username);
      return { account, grants: await store.listGrants(account.id) };
    },
    revokeGrant: async (username, grantId) => {
      const account = await find(username);
      if (
        !Number.isInteger(grantId) ||
        !(await store.revokeGrant(account.id, grantId, clock.now()))
      ) {
        throw new AccountError(`"${account.username}" has no OAuth grant ${String(grantId)}`);
      }
      return account;
    },
    revokeToken: async (username, tokenId) => {
      const account = await find(username);
      if (!Number.isInteger(tokenId) || !(await store.revokeApiToken(account.id, tokenId))) {
        throw new AccountError(`"${account.username}" has no API token ${String(tokenId)}`);
      }
      return account;
    },
  };
}
