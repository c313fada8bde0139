import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runAccountsCommand, type CliIo } from "../../src/cli/accounts";
import { hashToken, verifyPassword, type AuthStore } from "../../src/sdk";
import { openStores, type Stores } from "../../src/store/open-store";

let dir: string;
let stores: Stores;
let out: string[];
let err: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-cli-"));
  stores = openStores({ kind: "sqlite", path: join(dir, "db.sqlite") });
  out = [];
  err = [];
});
afterEach(async () => {
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
});

const io = (password = "a long enough password"): CliIo => ({
  out: (line) => out.push(line),
  err: (line) => err.push(line),
  readPassword: async () => password,
});
const run = (args: string[], password?: string, store: AuthStore = stores.auth) =>
  runAccountsCommand(args, store, io(password));

describe("accounts CLI", () => {
  it("creates an account with a scrypt-hashed password", async () => {
    expect(await run(["create", "alice"])).toBe(0);
    expect(out).toEqual([expect.stringMatching(/^created account "alice" \(id \d+\)$/)]);
    const account = await stores.auth.findAccountByUsername("ALICE");
    expect(account?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("a long enough password", account?.passwordHash ?? "")).toBe(true);
  });

  it("refuses a duplicate (case-insensitive), a bad username and a short password", async () => {
    await run(["create", "alice"]);
    expect(await run(["create", "Alice"])).toBe(1);
    expect(await run(["create", "-bad name"])).toBe(1);
    expect(await run(["create", "carol"], "short")).toBe(1);
    expect(err).toEqual([
      'accounts: an account named "Alice" already exists',
      "accounts: a username is 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
      "accounts: the password must be at least 10 characters",
    ]);
  });

  it("issues a token shown once and stored only as a hash, lists it and revokes it", async () => {
    await run(["create", "alice"]);
    expect(await run(["token-issue", "alice", "--label", "my ChatGPT"])).toBe(0);
    const token = out.at(-1) ?? "";
    expect(token).toMatch(/^pk_user_[A-Za-z0-9_-]{43}$/);
    expect((await stores.auth.useApiToken(hashToken(token), 1))?.username).toBe("alice");

    out = [];
    await run(["token-list", "alice"]);
    expect(out.join("\n")).toMatch(
      /^1\tmy ChatGPT\tcreated .*\tlast used 1970-01-01T00:00:00.001Z$/,
    );
    expect(out.join("\n")).not.toContain(token);

    expect(await run(["token-revoke", "alice", "1"])).toBe(0);
    expect(await stores.auth.useApiToken(hashToken(token), 2)).toBeUndefined();
    expect(await run(["token-revoke", "alice", "1"])).toBe(1);
  });

  it("changes a password and deletes an account with its todos", async () => {
    await run(["create", "alice"]);
    expect(await run(["passwd", "alice"], "another long password")).toBe(0);
    const account = await stores.auth.findAccountByUsername("alice");
    expect(await verifyPassword("another long password", account?.passwordHash ?? "")).toBe(true);
    await stores.todos.add({ accountId: account?.id ?? 0, username: "global" }, "x");
    expect(await run(["delete", "alice"])).toBe(0);
    expect(await run(["list"])).toBe(0);
    expect(out.at(-1)).toBe("no accounts");
    expect(await stores.todos.list({ accountId: account?.id ?? 0, username: "global" })).toEqual(
      [],
    );
  });

  it("prints usage and exits 2 for an unknown command or a missing argument", async () => {
    expect(await run(["frobnicate"])).toBe(2);
    expect(await run(["create"])).toBe(2);
    expect(err[0]).toContain('unknown command "frobnicate"');
    expect(err[1]).toContain("missing <username>");
    expect(err[1]).toContain("Usage: accounts <command>");
  });

  it("runs as a program, reading the password from stdin", () => {
    const cli = (args: string[], input = "") =>
      spawnSync(process.execPath, ["--import", "tsx", "src/cli/accounts.ts", ...args], {
        cwd: join(__dirname, "..", ".."),
        env: { ...process.env, DATABASE_URL: `file:${join(dir, "cli.db")}` },
        input,
        encoding: "utf8",
      });
    const created = cli(["create", "dave", "--password-stdin"], "dave's long password\n");
    expect(created.stderr).toBe("");
    expect(created.stdout).toMatch(/created account "dave"/);
    expect(created.status).toBe(0);
    const issued = cli(["token-issue", "dave"]);
    expect(issued.status).toBe(0);
    expect(issued.stdout.trim().split("\n").at(-1)).toMatch(/^pk_user_/);
  });
});
