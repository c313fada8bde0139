import { createInterface } from "node:readline";
import { AccountError, createAccountService, type AccountService } from "../auth/accounts";
import { loadDatabaseLocation } from "../config/plugin-config";
import { openPluginDatabase } from "../store/plugin-database";
import type { CliIo } from "./cli-io";

export const ACCOUNTS_USAGE = `Usage: plugkit accounts <command>

  create <username> [--password-stdin]     create an account (password prompted, or read from stdin)
  passwd <username> [--password-stdin]     set an account's password (revokes its OAuth grants)
  delete <username>                        delete an account with its tokens and its data
  list                                     list accounts
  token-issue <username> [--label <text>]  issue an API token for user_http; prints only the token
  token-list <username>                    list an account's API tokens (never the tokens)
  token-revoke <username> <token-id>       revoke an API token
  grant-list <username>                    list the applications signed in with OAuth (grants)
  grant-revoke <username> <grant-id>       revoke a grant: its tokens stop working at once
  help                                     show this help

Uses DATABASE_URL (default file:./data/plugkit.db), like the server. Passwords are at least 10
characters; with --password-stdin the first line of stdin is the password.
Example: TOKEN=$(plugkit accounts token-issue alice)`;

class UsageError extends Error {}

function argument(args: readonly string[], index: number, name: string): string {
  const value = args[index];
  if (value === undefined || value.startsWith("--")) throw new UsageError(`missing <${name}>`);
  return value;
}

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined) throw new UsageError(`${name} needs a value`);
  return value;
}

/** Runs one accounts command against an account service; returns the exit code. */
export async function runAccountsCommand(
  args: readonly string[],
  accounts: AccountService,
  io: CliIo,
): Promise<number> {
  const [command, ...rest] = args;
  const password = () => io.readPassword("Password: ", rest.includes("--password-stdin"));
  try {
    switch (command) {
      case "create": {
        const username = argument(rest, 0, "username");
        const created = await accounts.create(username, await password());
        io.out(`created account "${created.username}" (id ${created.id})`);
        return 0;
      }
      case "passwd": {
        const changed = await accounts.setPassword(argument(rest, 0, "username"), await password());
        io.out(
          `password of "${changed.account.username}" changed; ${changed.revokedGrants} OAuth grant(s) revoked`,
        );
        return 0;
      }
      case "delete": {
        const deleted = await accounts.remove(argument(rest, 0, "username"));
        io.out(`deleted account "${deleted.username}" with its tokens and data`);
        return 0;
      }
      case "list": {
        const list = await accounts.list();
        if (list.length === 0) io.err("no accounts");
        for (const a of list) io.out(`${a.id}\t${a.username}`);
        return 0;
      }
      case "token-issue": {
        const username = argument(rest, 0, "username");
        const label = option(rest, "--label");
        const { token, info } = await accounts.issueToken(username, label);
        // Only the token goes to stdout, so that TOKEN=$(plugkit accounts token-issue alice) works.
        io.err(
          `API token ${info.id} for "${username}" (${info.label}); it is shown only this once:`,
        );
        io.out(token);
        return 0;
      }
      case "token-list": {
        const { account, tokens } = await accounts.listTokens(argument(rest, 0, "username"));
        if (tokens.length === 0) io.err(`"${account.username}" has no API tokens`);
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
        const username = argument(rest, 0, "username");
        const id = Number(argument(rest, 1, "token-id"));
        const account = await accounts.revokeToken(username, id);
        io.out(`revoked API token ${id} of "${account.username}"`);
        return 0;
      }
      case "grant-list": {
        const { account, grants } = await accounts.listGrants(argument(rest, 0, "username"));
        if (grants.length === 0) io.err(`"${account.username}" has no OAuth grants`);
        for (const g of grants) {
          const used =
            g.lastIssuedAt === undefined
              ? ""
              : `\tlast token ${new Date(g.lastIssuedAt).toISOString()}`;
          io.out(
            `${g.id}\t${g.clientName ?? g.clientId}\tcreated ${new Date(g.createdAt).toISOString()}${used}${g.scope === undefined ? "" : `\tscope ${g.scope}`}${g.resource === undefined ? "" : `\tresource ${g.resource}`}`,
          );
        }
        return 0;
      }
      case "grant-revoke": {
        const username = argument(rest, 0, "username");
        const id = Number(argument(rest, 1, "grant-id"));
        const account = await accounts.revokeGrant(username, id);
        io.out(`revoked OAuth grant ${id} of "${account.username}"`);
        return 0;
      }
      case "help":
      case "--help":
      case "-h":
        io.out(ACCOUNTS_USAGE);
        return 0;
      default:
        throw new UsageError(
          command === undefined ? "missing <command>" : `unknown command "${command}"`,
        );
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`plugkit accounts: ${error.message}\n\n${ACCOUNTS_USAGE}`);
      return 2;
    }
    if (error instanceof AccountError) {
      io.err(`plugkit accounts: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

/** `plugkit accounts ...` as a program: on the database `DATABASE_URL` names. */
export async function accountsMain(args: readonly string[], io: CliIo): Promise<number> {
  if (args.length === 0 || ["help", "--help", "-h"].includes(args[0] ?? "")) {
    (args.length === 0 ? io.err : io.out)(ACCOUNTS_USAGE);
    return args.length === 0 ? 2 : 0;
  }
  // A tool, not a server: fail at once, saying why, when PostgreSQL does not answer.
  const database = openPluginDatabase(loadDatabaseLocation(), { retry: false });
  try {
    await database.ready();
    return await runAccountsCommand(args, createAccountService(database.auth), io);
  } finally {
    await database.close();
  }
}

/** Reads a password: the first line of stdin when piped, else a prompt that does not echo. */
export async function readPassword(prompt: string, fromStdin: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    let input = "";
    for await (const chunk of process.stdin) input += (chunk as Buffer).toString("utf8");
    return input.split(/\r?\n/)[0] ?? "";
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
