import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchTree, type TreeWatcher } from "../../src/cli/watch-tree";

let dir: string;
let watcher: TreeWatcher | undefined;
let seen: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "plugkit-watch-"));
  mkdirSync(join(dir, "controllers"));
  writeFileSync(join(dir, "controllers", "a-controller.ts"), "export const a = 1;\n");
  seen = [];
  watcher = watchTree(
    [dir],
    (path) => path.endsWith(".ts"),
    (paths) => seen.push(...paths),
  );
});
afterEach(() => {
  watcher?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits until `path` has been reported, or fails after 3 s. */
async function reported(path: string): Promise<void> {
  const started = Date.now();
  while (!seen.includes(path)) {
    if (Date.now() - started > 3000)
      throw new Error(`${path} was not reported; saw ${seen.join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  seen = [];
}

describe("watchTree", () => {
  const file = () => join(dir, "controllers", "a-controller.ts");

  it("reports a file written in place", async () => {
    writeFileSync(file(), "export const a = 2;\n");
    await reported(file());
  });

  it("keeps reporting a file that sed -i replaces, time after time", async () => {
    for (const value of ["2", "3", "4"]) {
      execFileSync("sed", ["-i", `s/= [0-9]/= ${value}/`, file()]);
      await reported(file());
    }
  });

  it("keeps reporting a file an editor saves by renaming a new copy over it", async () => {
    for (const value of ["2", "3"]) {
      const temp = join(dir, "controllers", `.a-controller.ts.${value}.swp`);
      writeFileSync(temp, `export const a = ${value};\n`);
      renameSync(temp, file());
      await reported(file());
    }
  });

  it("reports files in a new directory, and deleted files", async () => {
    mkdirSync(join(dir, "controllers", "nested"));
    const nested = join(dir, "controllers", "nested", "b-controller.ts");
    await new Promise((resolve) => setTimeout(resolve, 50));
    writeFileSync(nested, "export const b = 1;\n");
    await reported(nested);
    rmSync(file());
    await reported(file());
  });

  it("ignores files the filter excludes", async () => {
    writeFileSync(join(dir, "controllers", "notes.md"), "x");
    writeFileSync(file(), "export const a = 5;\n");
    await reported(file());
    expect(seen).toEqual([]);
  });
});
