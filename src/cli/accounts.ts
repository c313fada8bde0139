#!/usr/bin/env node
// The accounts CLI: creates accounts (for user_http and oauth sign-in) and issues and revokes
// their API tokens (for user_http). Run with `npm run accounts -- <command>`, or in a production
// install with `node dist/src/cli/accounts.js <command>`. It uses DATABASE_URL like the server.
import { createInterface } from "node:readline";
import { loadDatabaseConfig } from "../config";
import {
  ConfigError,
  USER_TOKEN_PREFIX,
  generateToken,
  hashPassword,
  hashToken,
  type AuthStore,
} from "../sdk";
import { openStores } from "../store/open-store";

export const USAGE = `Usage: accounts <command>

  create <username> [--password-stdin]   create an account (password prompted, or read from stdin)
  passwd <username> [--password-stdin]   set an account's password
  delete <username>                      delete an account, its tokens and its todos
  list                                   list accounts
  token-issue <username> [--label <text>]  issue an API token for user_http (shown once)
  token-list <username>                  list an account's API tokens
  token-revoke <username> <token-id>     revoke an API token

Uses DATABASE_URL (default file:./data/plugkit.db).`;

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MIN_PASSWORD = 10;

/** Where the CLI reads and writes; injectable for tests. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Reads the password: from stdin with --password-stdin, else by prompting. */
  readPassword: (prompt: string, fromStdin: boolean) => Promise<string>;
}

class UsageError extends Error {}

function argument(args: string[], index: number, name: string): string {
  const value = args[index];
  if (value === undefined || value.startsWith("--")) throw new UsageError(`missing <${name}>`);
  return value;
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined) throw new UsageError(`${name} needs a value`);
  return value;
}

async function account(store: AuthStore, username: string) {
  const found = await store.findAccountByUsername(username);
  if (found === undefined) throw new Error(`no account named "${username}"`);
  return found;
}

async function newPassword(io: CliIo, args: string[]): Promise<string> {
  const password = await io.readPassword("Password: ", args.includes("--password-stdin"));
  if ([...password].length < MIN_PASSWORD)
    throw new Error(`the password must be at least ${MIN_PASSWORD} characters`);
  if (password.length > 1024) throw new Error("the password must be at most 1024 characters");
  return password;
}

/** Runs one CLI command against a store; returns the exit code. */
export async function runAccountsCommand(
  args: string[],
  store: AuthStore,
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case "create": {
        const username = argument(rest, 0, "username");
        if (!USERNAME.test(username)) {
          throw new Error(
            "a username is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
          );
        }
        const created = await store.createAccount(
          username,
          await hashPassword(await newPassword(io, rest)),
        );
        if (created === undefined) throw new Error(`an account named "${username}" already exists`);
        io.out(`created account "${created.username}" (id ${created.id})`);
        return 0;
      }
      case "passwd": {
        const found = await account(store, argument(rest, 0, "username"));
        await store.setPasswordHash(found.id, await hashPassword(await newPassword(io, rest)));
        io.out(`password of "${found.username}" changed`);
        return 0;
      }
      case "delete": {
        const found = await account(store, argument(rest, 0, "username"));
        await store.deleteAccount(found.id);
        io.out(`deleted account "${found.username}" with its tokens and todos`);
        return 0;
      }
      case "list": {
        const accounts = await store.listAccounts();
        if (accounts.length === 0) io.out("no accounts");
        for (const a of accounts) io.out(`${a.id}\t${a.username}`);
        return 0;
      }
      case "token-issue": {
        const found = await account(store, argument(rest, 0, "username"));
        const label = option(rest, "--label") ?? "ChatGPT";
        const token = generateToken(USER_TOKEN_PREFIX);
        const info = await store.createApiToken(found.id, hashToken(token), label, Date.now());
        io.out(
          `API token ${info.id} for "${found.username}" (${label}); it is shown only this once:`,
        );
        io.out(token);
        return 0;
      }
      case "token-list": {
        const found = await account(store, argument(rest, 0, "username"));
        const tokens = await store.listApiTokens(found.id);
        if (tokens.length === 0) io.out(`"${found.username}" has no API tokens`);
        for (const t of tokens) {
          const used =
            t.lastUsedAt === undefined
              ? "never used"
              : `last used ${new Date(t.lastUsedAt).toISOString()}`;
          io.out(`${t.id}\t${t.label}\tcreated ${new Date(t.createdAt).toISOString()}\t${used}`);
        }
        return 0;
      }
      case "token-revoke": {
        const found = await account(store, argument(rest, 0, "username"));
        const id = Number(argument(rest, 1, "token-id"));
        if (!Number.isInteger(id) || !(await store.revokeApiToken(found.id, id))) {
          throw new Error(`"${found.username}" has no API token ${String(rest[1])}`);
        }
        io.out(`revoked API token ${id} of "${found.username}"`);
        return 0;
      }
      default:
        throw new UsageError(
          command === undefined ? "missing <command>" : `unknown command "${command}"`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`accounts: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    io.err(`accounts: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

async function readPassword(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let input = "";
    for await (const chunk of process.stdin) input += (chunk as Buffer).toString("utf8");
    return input.replace(/\r?\n$/, "");
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  // Echo nothing while the password is typed.
  (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
    if (s.includes(prompt)) process.stderr.write(prompt);
  };
  const answer = await new Promise<string>((resolve) => {
    rl.question(prompt, resolve);
  });
  rl.close();
  process.stderr.write("\n");
  return answer;
}

async function main(): Promise<void> {
  let stores: ReturnType<typeof openStores>;
  try {
    stores = openStores(loadDatabaseConfig());
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  }
  const code = await runAccountsCommand(process.argv.slice(2), stores.auth, {
    out: (line) => {
      console.log(line);
    },
    err: (line) => {
      console.error(line);
    },
    readPassword,
  });
  await stores.close();
  process.exit(code);
}

if (require.main === module) void main();
