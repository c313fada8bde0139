import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { PluginManifestConfig } from "../manifest/manifest-schema";

/** Where `plugkit build` looks for the manifest config unless told otherwise. */
export const DEFAULT_MANIFEST = "src/manifest/plugin-manifest.ts";
/** The server's entry point that `plugkit dev` runs unless told otherwise. */
export const DEFAULT_SERVER = "src/server.ts";

/** Thrown for a mistake in how a command was called or what the project holds. */
export class CliError extends Error {
  override readonly name = "CliError";
}

let tsxRegistered = false;

/**
 * Loads a project's TypeScript module (the manifest config) through tsx. With `fresh`, the
 * project's modules are loaded again, so `plugkit dev` sees edits.
 */
export function loadProjectModule(root: string, file: string, fresh = false): unknown {
  if (!tsxRegistered) {
    let api: { register: () => unknown };
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      api = require(require.resolve("tsx/cjs/api", { paths: [root] })) as typeof api;
    } catch {
      throw new CliError(
        "plugkit needs tsx to read the manifest config: run `npm install --save-dev tsx`",
      );
    }
    api.register();
    tsxRegistered = true;
  }
  const path = resolve(root, file);
  if (fresh) {
    for (const id of Object.keys(require.cache)) {
      if (id.startsWith(root) && !id.includes("node_modules"))
        Reflect.deleteProperty(require.cache, id);
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as unknown;
}

/** The manifest config a module exports, as `pluginManifest` or as its default export. */
export function loadManifest(root: string, file: string, fresh = false): PluginManifestConfig {
  if (!existsSync(resolve(root, file))) {
    throw new CliError(
      `${file} is missing: it holds the plugin's manifest config (export const pluginManifest: PluginManifestConfig = {...}); pass --manifest <file> if it is elsewhere`,
    );
  }
  const module = loadProjectModule(root, file, fresh) as Record<string, unknown>;
  const manifest = module["pluginManifest"] ?? module["default"];
  if (manifest === undefined) {
    throw new CliError(
      `${relative(root, resolve(root, file))} exports no pluginManifest: export const pluginManifest: PluginManifestConfig = {...}`,
    );
  }
  return manifest as PluginManifestConfig;
}

/** The newest modification time under a path (0 when it does not exist). */
export function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === "node_modules" || entry.startsWith(".")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** The project's package.json, or an empty object. */
export function readPackageJson(root: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>;
  } catch {
    return {};
  }
}
