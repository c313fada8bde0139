import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config";
import { createApp } from "../../src/app";

const ROOT = join(__dirname, "..", "..");
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-accounts-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `npm run accounts -- <args>`, as the README shows it. */
function accounts(args: string[], input = "") {
  return spawnSync("npm", ["run", "-s", "accounts", "--", ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${join(dir, "plugin.db")}` },
    input,
    encoding: "utf8",
  });
}

describe("the accounts CLI on the example plugin's database", () => {
  it("creates an account from stdin and issues a token that captures cleanly", () => {
    const created = accounts(["create", "dave", "--password-stdin"], "dave's long password\n");
    expect(created.stderr).toBe("");
    expect(created.stdout).toMatch(/^created account "dave" \(id 1\)\n$/);
    expect(created.status).toBe(0);
    const issued = accounts(["token-issue", "dave"]);
    expect(issued.status).toBe(0);
    expect(issued.stdout).toMatch(/^pk_user_[A-Za-z0-9_-]{43}\n$/);
    expect(issued.stderr).toMatch(/shown only this once/);
  });

  it("answers help", () => {
    const help = accounts(["help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: plugkit accounts <command>/);
  });

  it("deletes an account together with its todos", async () => {
    expect(accounts(["create", "erin", "--password-stdin"], "erin's long password\n").status).toBe(
      0,
    );
    const app = createApp(loadConfig({ DATABASE_URL: `file:${join(dir, "plugin.db")}` }));
    const account = await app.database.auth.findAccountByUsername("erin");
    await app.services.todos.add({ accountId: account?.id ?? 0, username: "global" }, "x");
    await app.close();
    expect(accounts(["delete", "erin"]).status).toBe(0);
    const after = createApp(loadConfig({ DATABASE_URL: `file:${join(dir, "plugin.db")}` }));
    expect(
      await after.services.todos.list({ accountId: account?.id ?? 0, username: "global" }),
    ).toEqual([]);
    await after.close();
  });
});
