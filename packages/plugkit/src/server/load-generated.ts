import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors";
import type { GeneratedManifest } from "../manifest/manifest-types";
import type { OpenApiDocument } from "../spec/openapi-types";

/** The files `npm run build` generates, as the server needs them. */
export interface GeneratedFiles {
  manifest: GeneratedManifest;
  spec: OpenApiDocument;
}

/**
 * Reads `ai-plugin.json` and `openapi.json` (the JSON twin of `openapi.yaml`, quicker to
 * load) from a generated directory, or throws a
 * {@link ConfigError} telling the developer to run the build.
 */
export function loadGeneratedFiles(dir: string): GeneratedFiles {
  const read = (name: string): string => {
    try {
      return readFileSync(join(dir, name), "utf8");
    } catch {
      throw new ConfigError(
        `${join(dir, name)} is missing: run \`plugkit build\` (npm run build) to generate it`,
      );
    }
  };
  try {
    return {
      manifest: JSON.parse(read("ai-plugin.json")) as GeneratedManifest,
      spec: JSON.parse(read("openapi.json")) as OpenApiDocument,
    };
  } catch (cause) {
    if (cause instanceof ConfigError) throw cause;
    throw new ConfigError(
      `${dir}: a generated file is corrupt (${String(cause)}); run \`npm run build\``,
    );
  }
}
