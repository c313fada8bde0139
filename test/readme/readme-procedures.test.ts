import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { applyProcedure, readProcedures } from "./procedures";

const ROOT = join(__dirname, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

// A copy of the project inside the repository, so that it resolves node_modules (and the built
// plugkit package) from here, as a clone after `npm install` would.
mkdirSync(join(ROOT, ".test-tmp"), { recursive: true });
const copy = mkdtempSync(join(ROOT, ".test-tmp", "readme-"));
afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
});

function copyProject(): void {
  const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .split("\n")
    .filter((file) => file !== "" && !file.startsWith(".test-tmp/"));
  for (const file of files) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    try {
      cpSync(join(ROOT, file), join(copy, file));
    } catch {
      // A tracked file deleted in the working tree.
    }
  }
}

/** The environment without the npm_* variables of the `npm test` running this file. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith("npm_")),
);

function npm(script: string): string {
  const result = spawnSync("npm", ["run", "-s", script], {
    cwd: copy,
    env,
    encoding: "utf8",
    timeout: 400_000,
  });
  expect(result.status, `npm run ${script}:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

describe("the README's procedures, followed literally on a copy of the project", () => {
  it("adding an operation and a controller with storage ends with build, verify, check and the tests green", async () => {
    copyProject();
    const procedures = readProcedures(README);
    expect(procedures.map((p) => `${p.action} ${p.file}`)).toEqual([
      "add-method src/controllers/todos-controller.ts",
      "add-declaration src/controllers/todos-controller.ts",
      "new-file src/store/notes-store.ts",
      "patch src/services.ts",
      "new-file src/controllers/notes-controller.ts",
      "new-file test/controllers/notes-controller.test.ts",
    ]);
    for (const procedure of procedures) {
      const path = join(copy, procedure.file);
      let before = "";
      try {
        before = readFileSync(path, "utf8");
      } catch {
        // A new file.
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, applyProcedure(procedure, before));
    }

    npm("build");
    const spec = JSON.parse(readFileSync(join(copy, "generated", "openapi.json"), "utf8")) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(spec.paths["/todos/{username}/count"]?.["get"]?.operationId).toBe("countTodos");
    expect(spec.paths["/notes"]?.["get"]?.operationId).toBe("listNotes");
    expect(spec.paths["/notes"]?.["post"]?.operationId).toBe("addNote");
    npm("verify");
    expect(npm("check:generated")).toContain("up to date");
    // eslint-disable-next-line no-control-regex
    const tests = npm("test:fast").replace(/\x1b\[[0-9;]*m/g, "");
    expect(tests).toContain("test/controllers/notes-controller.test.ts (2 tests)");
    expect(tests).toMatch(/Tests\s+\d+ passed \(\d+\)/);
  }, 600_000);
});
