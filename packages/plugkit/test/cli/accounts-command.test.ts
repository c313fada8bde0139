import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createAccountService } from "../../src/auth/accounts";
import { hashToken, verifyPassword } from "../../src/auth/secrets";
import { runAccountsCommand } from "../../src/cli/accounts-command";
import type { CliIo } from "../../src/cli/cli-io";
import { openPluginDatabase, type PluginDatabase } from "../../src/store/plugin-database";

let dir: string;
let database: PluginDatabase;
let out: string[];
let err: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-cli-"));
  database = openPluginDatabase({ kind: "sqlite", path: join(dir, "db.sqlite") });
  out = [];
  err = [];
});
afterEach(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const io = (password = "a long enough password"): CliIo => ({
  out: (line) => out.push(line),
  err: (line) => err.push(line),
  readPassword: async () => password,
});
const run = (args: string[], password?: string) =>
  runAccountsCommand(args, createAccountService(database.auth), io(password));

describe("plugkit accounts", () => {
  it("creates an account with a scrypt-hashed password", async () => {
    expect(await run(["create", "alice"])).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^created account "alice" \(id \d+\)$/)]);
    const account = await database.auth.findAccountByUsername("ALICE");
    expect(account?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("a long enough password", account?.passwordHash ?? "")).toBe(true);
  });

  it("refuses a duplicate (case-insensitive), a bad username and a short password", async () => {
    await run(["create", "alice"]);
    expect(await run(["create", "Alice"])).toBe(1);
    expect(await run(["create", "-bad name"])).toBe(1);
    expect(await run(["create", "carol"], "short")).toBe(1);
    expect(err).toEqual([
      'plugkit accounts: an account named "Alice" already exists',
      "plugkit accounts: a username is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
      "plugkit accounts: the password must be at least 10 characters",
    ]);
  });

  it("prints only the token on stdout, so TOKEN=$(plugkit accounts token-issue alice) works", async () => {
    await run(["create", "alice"]);
    out = [];
    expect(await run(["token-issue", "alice", "--label", "my ChatGPT"])).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^pk_user_[A-Za-z0-9_-]{43}$/)]);
    expect(err).toEqual(['API token 1 for "alice" (my ChatGPT); it is shown only this once:']);
    expect((await database.auth.useApiToken(hashToken(out[0] ?? ""), 1))?.username).toBe("alice");
  });

  it("lists tokens without showing them, and revokes one", async () => {
    await run(["create", "alice"]);
    await run(["token-issue", "alice", "--label", "my ChatGPT"]);
    const token = out.at(-1) ?? "";
    await database.auth.useApiToken(hashToken(token), 1);
    out = [];
    await run(["token-list", "alice"]);
    expect(out).toEqual([
      expect.stringMatching(/^1\tmy ChatGPT\tcreated .*\tlast used 1970-01-01T00:00:00.001Z$/),
    ]);
    expect(await run(["token-revoke", "alice", "1"])).toBe(0);
    expect(await database.auth.useApiToken(hashToken(token), 2)).toBeUndefined();
    expect(await run(["token-revoke", "alice", "1"])).toBe(1);
    expect(err.at(-1)).toBe('plugkit accounts: "alice" has no API token 1');
  });

  it("changes a password and deletes an account", async () => {
    await run(["create", "alice"]);
    expect(await run(["passwd", "alice"], "another long password")).toBe(0);
    const account = await database.auth.findAccountByUsername("alice");
    expect(await verifyPassword("another long password", account?.passwordHash ?? "")).toBe(true);
    expect(await run(["delete", "alice"])).toBe(0);
    out = [];
    expect(await run(["list"])).toBe(0);
    expect(out).toEqual([]);
    expect(err.at(-1)).toBe("no accounts");
  });

  it("prints its help with `help`, and usage with exit 2 for a mistake", async () => {
    expect(await run(["help"])).toBe(0);
    expect(out[0]).toMatch(/^Usage: plugkit accounts <command>/);
    expect(await run(["frobnicate"])).toBe(2);
    expect(await run(["create"])).toBe(2);
    expect(err[0]).toContain('unknown command "frobnicate"');
    expect(err[1]).toContain("missing <username>");
    expect(err[1]).toContain("Usage: plugkit accounts <command>");
  });

  it("lists an account's OAuth grants and revokes one; passwd revokes them all", async () => {
    await run(["create", "alice"]);
    const account = await database.auth.findAccountByUsername("alice");
    const grant = async (): Promise<number> => {
      const id = await database.auth.createGrant({
        accountId: account?.id ?? 0,
        clientId: "chatgpt",
        scope: undefined,
        resource: undefined,
        createdAt: 1000,
      });
      await database.auth.saveOAuthToken({
        grantId: id,
        scope: undefined,
        accessTokenHash: `a${id}`,
        accessTokenExpiresAt: Date.now() + 3600_000,
        refreshTokenHash: `r${id}`,
        refreshTokenExpiresAt: Date.now() + 3600_000,
        createdAt: 2000,
      });
      return id;
    };
    const first = await grant();
    await grant();
    out = [];
    expect(await run(["grant-list", "alice"])).toBe(0);
    expect(out).toEqual([
      expect.stringMatching(
        /^2\tchatgpt\tcreated 1970-01-01T00:00:01.000Z\tlast token 1970-01-01T00:00:02.000Z$/,
      ),
      expect.stringMatching(/^1\tchatgpt\t/),
    ]);
    expect(await run(["grant-revoke", "alice", String(first)])).toBe(0);
    expect(await database.auth.findOAuthTokenByAccessHash(`a${first}`)).toBeUndefined();
    expect(await run(["grant-revoke", "alice", String(first)])).toBe(1);
    expect(err.at(-1)).toBe(`plugkit accounts: "alice" has no OAuth grant ${first}`);
    out = [];
    expect(await run(["passwd", "alice"], "another long password")).toBe(0);
    expect(out).toEqual(['password of "alice" changed; 1 OAuth grant(s) revoked']);
    expect(await database.auth.listGrants(account?.id ?? 0)).toEqual([]);
  });
});
