import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const read = (path: string): string => readFileSync(join(ROOT, path), "utf8");

/** The environment variables a source file reads through plugkit's ConfigReader. */
function variablesRead(path: string): string[] {
  // Code only: doc comments show example variables of an imaginary app.
  const source = read(path)
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/\/\/.*$/gm, "");
  const names = [
    ...source.matchAll(/read\.(?:string|oneOf|wholeNumber|boolean|httpUrl|list)\(\s*"([A-Z_]+)"/g),
    ...source.matchAll(/(?:secret|seconds)\(\s*"([A-Z_]+)"/g),
  ].map((m) => m[1] ?? "");
  return [...new Set(names)].sort();
}

const PLUGKIT = variablesRead("packages/plugkit/src/config/plugin-config.ts");
const EXAMPLE = variablesRead("src/config.ts");

/** The variables named in the first column of a Markdown table. */
function tableVariables(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^\| `([A-Z_]+)`(?:, `([A-Z_]+)`)*/gm)].flatMap((m) => [m[1] ?? ""]),
  );
}

describe("the documented configuration", () => {
  it("reads the variables these tests expect (the scan works)", () => {
    expect(PLUGKIT).toContain("PLUGIN_AUTH");
    expect(PLUGKIT).toContain("OAUTH_REFRESH_TOKEN_TTL");
    expect(PLUGKIT.length).toBeGreaterThan(14);
    expect(EXAMPLE).toEqual([
      "BALLDONTLIE_API_KEY",
      "BALLDONTLIE_BASE_URL",
      "STATS_CACHE_TTL_SECONDS",
      "STATS_PROVIDER",
      "STATS_TIMEOUT_MS",
    ]);
  });

  it("lists every variable in the README's configuration table and in .env.example", () => {
    const table = tableVariables(read("README.md"));
    const example = read(".env.example");
    for (const name of [...PLUGKIT, ...EXAMPLE]) {
      expect(table.has(name), `README.md: ${name}`).toBe(true);
      expect(example, `.env.example: ${name}`).toMatch(new RegExp(`^#? ?${name}=`, "m"));
    }
  });

  it("lists plugkit's variables in the package README and the scaffold's .env.example", () => {
    const readme = read("packages/plugkit/README.md");
    const scaffold = read("packages/plugkit/templates/init/_env.example");
    for (const name of PLUGKIT) {
      expect(readme, `packages/plugkit/README.md: ${name}`).toContain(`\`${name}\``);
      expect(scaffold, `scaffold .env.example: ${name}`).toMatch(new RegExp(`^#? ?${name}=`, "m"));
    }
  });
});
