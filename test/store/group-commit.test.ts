import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createGroupCommit } from "../../src/store/group-commit";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function open(): { path: string; db: Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), "group-commit-"));
  dirs.push(dir);
  const path = join(dir, "g.db");
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE t (n INTEGER NOT NULL)");
  return { path, db };
}

describe("group commit", () => {
  it("commits the writes of one turn together, each in its own savepoint", async () => {
    const { path, db } = open();
    const group = createGroupCommit(db);
    const insert = db.transaction((n: number) => {
      db.prepare("INSERT INTO t (n) VALUES (?)").run(n);
      if (n === 3) throw new Error("write 3 fails after inserting");
      return n;
    });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => group.write(() => insert(n))));
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
    ]);
    // Another connection (another process would do the same) sees exactly the three that succeeded.
    const other = new Database(path, { readonly: true });
    expect(other.prepare("SELECT n FROM t ORDER BY n").pluck().all()).toEqual([1, 2, 4]);
    other.close();
    db.close();
  });

  it("acknowledges nothing when the batch's transaction cannot start", async () => {
    const { path, db } = open();
    const group = createGroupCommit(db);
    db.pragma("busy_timeout = 50");
    const holder = new Database(path);
    holder.prepare("BEGIN IMMEDIATE").run();
    const write = group.write(() => db.prepare("INSERT INTO t (n) VALUES (1)").run());
    await expect(write).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    holder.prepare("ROLLBACK").run();
    expect(db.prepare("SELECT count(*) FROM t").pluck().get()).toBe(0);
    holder.close();
    db.close();
  });
});
