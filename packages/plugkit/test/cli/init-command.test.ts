import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { initValues, scaffold } from "../../src/cli/init-command";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function target(): string {
  const dir = mkdtempSync(join(tmpdir(), "plugkit-init-"));
  dirs.push(dir);
  return dir;
}

describe("plugkit init", () => {
  it("derives the names from the package name, within the manifest's limits", () => {
    expect(initValues("My Very Long Greeting Plugin")).toMatchObject({
      packageName: "my-very-long-greeting-plugin",
      nameForHuman: "My Very Long Greetin",
      nameForModel: "my_very_long_greeting_plugin",
    });
  });

  it("writes the project with every placeholder filled and dotfiles named", () => {
    const dir = target();
    const files = scaffold(dir, initValues("greeter"));
    expect(files).toContain(".gitignore");
    expect(files).toContain(".env.example");
    expect(files).toContain("src/controllers/greetings-controller.ts");
    expect(files).not.toContain("src/controllers/oauth-controller.ts");
    for (const file of files.filter((f) => !f.endsWith(".png"))) {
      expect(readFileSync(join(dir, file), "utf8"), file).not.toMatch(/\{\{\w+\}\}/);
    }
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies["@tsoa/cli"]).toBe("6.6.0");
    expect(pkg.dependencies["plugkit"]).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it("adds the OAuth controller, the same one the example plugin serves, for --auth oauth", () => {
    const dir = target();
    const files = scaffold(dir, initValues("greeter"), { oauth: true });
    expect(files).toContain("src/controllers/oauth-controller.ts");
    const example = join(
      __dirname,
      "..",
      "..",
      "..",
      "..",
      "src",
      "controllers",
      "oauth-controller.ts",
    );
    expect(readFileSync(join(dir, "src", "controllers", "oauth-controller.ts"), "utf8")).toBe(
      readFileSync(example, "utf8"),
    );
  });
});
