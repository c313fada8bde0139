import type * as TsoaCli from "@tsoa/cli";
import type * as TypeScript from "typescript";

/**
 * The tsoa version plugkit's route template and build are written against. plugkit uses only
 * tsoa's public API, but renders routes with its own copy of tsoa's express template, which
 * depends on the context tsoa hands to templates: so tsoa is pinned exactly.
 */
export const TSOA_VERSION = "6.6.0";

/** What `plugkit build` needs installed beside plugkit (the project's devDependencies). */
export const BUILD_DEPENDENCIES = [
  `@tsoa/cli@${TSOA_VERSION}`,
  "typescript",
  "tsx",
  "class-validator",
  "class-transformer",
  "reflect-metadata",
] as const;

/** Thrown when the build tools are missing or at a version plugkit does not support. */
export class ToolchainError extends Error {
  override readonly name = "ToolchainError";
}

const INSTALL_HINT = `npm install --save-dev ${BUILD_DEPENDENCIES.join(" ")}`;

/** Why an installed tsoa cannot be used, or undefined when it is the pinned version. */
export function tsoaVersionProblem(found: string): string | undefined {
  if (found === TSOA_VERSION) return undefined;
  return `plugkit builds with @tsoa/cli ${TSOA_VERSION} (its route template follows that version's), but ${found} is installed: run \`npm install --save-dev --save-exact @tsoa/cli@${TSOA_VERSION}\``;
}

function load(name: string, purpose: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as unknown;
  } catch (cause) {
    if ((cause as { code?: unknown }).code !== "MODULE_NOT_FOUND") throw cause;
    throw new ToolchainError(
      `plugkit build needs ${name} (${purpose}), which is not installed: run \`${INSTALL_HINT}\``,
      { cause },
    );
  }
}

/** tsoa's public API, checked to be the pinned version. */
export function loadTsoa(): typeof TsoaCli {
  const { version } = load("@tsoa/cli/package.json", "to read controllers") as { version: string };
  const problem = tsoaVersionProblem(version);
  if (problem !== undefined) throw new ToolchainError(problem);
  return load("@tsoa/cli", "to read controllers") as typeof TsoaCli;
}

/** The TypeScript compiler API. */
export function loadTypeScript(): typeof TypeScript {
  return load("typescript", "to read controllers and the tsconfig") as typeof TypeScript;
}
