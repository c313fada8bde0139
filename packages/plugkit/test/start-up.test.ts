import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DIST = join(__dirname, "..", "dist");

/** The modules of `packages` a fresh Node process has loaded after running `script`. */
function loadedAfter(script: string): string[] {
  const probe = `${script}
    console.log(JSON.stringify(Object.keys(require.cache)));`;
  const run = spawnSync(process.execPath, ["-e", probe], { cwd: DIST, encoding: "utf8" });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as string[];
}

describe("start-up: what loading plugkit costs", () => {
  it("does not load tsoa's validation runtime with the package or the generated routes' imports", () => {
    const loaded = loadedAfter(`require("./index.js"); require("./tsoa.js");`);
    expect(loaded.some((file) => file.includes("@tsoa/runtime/dist/decorators"))).toBe(true);
    expect(loaded.filter((file) => /routeGeneration|[\\/]validator[\\/]/.test(file))).toEqual([]);
  });

  it("loads it, with plugkit's rules, on the template service's first use", () => {
    const loaded = loadedAfter(`
      const { ExpressTemplateService } = require("./tsoa.js");
      const service = new ExpressTemplateService({}, { noImplicitAdditionalProperties: "throw-on-extras", bodyCoercion: false });
      const [n] = service.getValidatedArgs({
        args: { n: { in: "query", name: "n", dataType: "string", required: true, validators: { maxLength: { value: 1 } } } },
        request: { query: { n: "🧾" } }, response: {},
      });
      if (n !== "🧾") throw new Error("one code point is within maxLength 1");`);
    expect(loaded.some((file) => file.includes("routeGeneration"))).toBe(true);
  });
});
