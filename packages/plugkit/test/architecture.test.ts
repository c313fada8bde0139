import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SDK = join(__dirname, "..", "src");
const REPO = join(__dirname, "..", "..", "..");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Module specifiers a file loads at runtime (type-only imports are erased by the compiler). */
const importsOf = (file: string): string[] =>
  [
    ...readFileSync(file, "utf8")
      .replace(/^(?:import|export) type [^;]*;/gm, "")
      .matchAll(/(?:from|import|require)\s*\(?\s*"([^"]+)"/g),
  ].map((m) => m[1] ?? "");

describe("the SDK core", () => {
  it("imports nothing from the example plugin", () => {
    const escaping = files(SDK).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .filter((spec) => relative(SDK, resolve(dirname(file), spec)).startsWith(".."))
        .map((spec) => `${relative(SDK, file)} imports ${spec}`),
    );
    expect(escaping).toEqual([]);
  });

  it.each([
    ["the runtime surface (plugkit)", join(SDK, "index.ts")],
    ["the generated routes' glue (plugkit/tsoa)", join(SDK, "tsoa.ts")],
    ["the example plugin's server", join(REPO, "src", "server.ts")],
  ])("keeps class-validator and the tsoa compiler out of %s", (_name, entry) => {
    const runtime = new Set<string>();
    const visit = (file: string): void => {
      if (runtime.has(file)) return;
      runtime.add(file);
      for (const spec of importsOf(file)) {
        const packaged = /^plugkit(\/(tsoa))?$/.exec(spec);
        if (packaged !== null) visit(join(SDK, `${packaged[2] ?? "index"}.ts`));
        if (!spec.startsWith(".")) continue;
        const target = resolve(dirname(file), spec);
        // Specifiers quoted in doc comments name no file; skip them.
        const source = [`${target}.ts`, join(target, "index.ts")].find((f) => existsSync(f));
        if (source !== undefined) visit(source);
      }
    };
    visit(entry);
    const heavy = [...runtime].flatMap((file) =>
      importsOf(file)
        .filter((spec) =>
          /^(class-validator|class-transformer|@tsoa\/cli|tsoa|typescript)$/.test(
            spec.split("/dist")[0] ?? spec,
          ),
        )
        .map((spec) => `${relative(REPO, file)} imports ${spec}`),
    );
    expect(heavy).toEqual([]);
    expect(runtime.size).toBeGreaterThan(10);
  });
});
