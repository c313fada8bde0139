import "reflect-metadata";
import { plainToInstance } from "class-transformer";
import { validateSync, type ValidationError } from "class-validator";
import { PluginManifestConfig, preview } from "./manifest-schema";
import type { GeneratedManifest } from "./manifest-types";
import { usesPluginHostname } from "./public-origin-placeholder";

/** One rule a manifest config breaks. */
export interface ManifestProblem {
  /** Dotted path of the field, e.g. `auth.verification_tokens.openai`. */
  field: string;
  /** The rule's name, e.g. `textLength`, `isPluginUrl`, `unknownField`. */
  rule: string;
  /** What is wrong, naming the value, e.g. `23 characters, the limit is 20 ("...")`. */
  message: string;
}

/** Thrown when a manifest config breaks one or more rules; lists every problem, not only the first. */
export class ManifestValidationError extends Error {
  override readonly name = "ManifestValidationError";
  readonly problems: readonly ManifestProblem[];

  constructor(problems: readonly ManifestProblem[]) {
    super(
      `The plugin manifest has ${problems.length} problem${problems.length === 1 ? "" : "s"}:\n` +
        problems.map((p) => `  - ${p.field}: ${p.message}`).join("\n"),
    );
    this.problems = problems;
  }
}

/**
 * Checks a manifest config against every platform rule and returns all problems found
 * (an empty list when it is valid). Unknown fields are problems too.
 */
export function findManifestProblems(config: unknown): ManifestProblem[] {
  if (config === null || typeof config !== "object" || Array.isArray(config)) {
    return [
      {
        field: "(manifest)",
        rule: "isObject",
        message: `must be an object, got ${preview(config)}`,
      },
    ];
  }
  const instance = plainToInstance(PluginManifestConfig, config);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: true },
  });
  const problems: ManifestProblem[] = [];
  for (const error of errors) collect(error, "", problems);
  return problems;
}

function collect(error: ValidationError, parent: string, out: ManifestProblem[]): void {
  const field = parent === "" ? error.property : `${parent}.${error.property}`;
  const constraints = Object.entries(error.constraints ?? {});
  // When a field is missing, "is required" says it all; the other rules would only repeat it.
  // Likewise "must be an object" makes the generic nested-validation message redundant.
  const required = constraints.find(([rule]) => rule === "isDefined");
  const relevant = required
    ? [required]
    : constraints.filter(([rule]) => rule !== "nestedValidation" || constraints.length === 1);
  for (const [rule, message] of relevant) {
    if (rule === "whitelistValidation") {
      out.push({
        field,
        rule: "unknownField",
        message: SERVER_OWNED.has(field)
          ? "is set by the plugin server for the configured PLUGIN_AUTH; remove it from the manifest config"
          : "is not a manifest field; remove it",
      });
    } else if (rule === "unknownValue") {
      out.push({ field, rule, message: `must be an object, got ${preview(error.value)}` });
    } else {
      out.push({ field, rule, message });
    }
  }
  for (const child of error.children ?? []) collect(child, field, out);
}

/** Fields the server fills in for the configured auth type (`PLUGIN_AUTH`). */
const SERVER_OWNED = new Set([
  "auth.type",
  "auth.authorization_type",
  "auth.verification_tokens",
  "auth.client_url",
  "auth.scope",
  "auth.authorization_url",
  "auth.authorization_content_type",
  "api.is_user_authenticated",
]);

/**
 * Advice on a valid manifest config that does not stop the build: absolute URLs that are not
 * https (ChatGPT may refuse to fetch them).
 */
export function findManifestWarnings(config: PluginManifestConfig): ManifestProblem[] {
  const urls = {
    "api.url": config.api.url,
    logo_url: config.logo_url,
    legal_info_url: config.legal_info_url,
  };
  return Object.entries(urls)
    .filter(([, url]) => !usesPluginHostname(url) && url.startsWith("http:"))
    .map(([field, url]) => ({
      field,
      rule: "https",
      message: `${preview(url)} is plain http: use https, which ChatGPT expects of a deployed plugin`,
    }));
}

/**
 * Validates a manifest config and returns it as the JSON document to write to
 * `generated/ai-plugin.json`, with its fields in the documented order. Throws
 * {@link ManifestValidationError} listing every problem.
 *
 * @example
 * const manifest = validateManifest(myConfig);
 * writeFileSync("generated/ai-plugin.json", JSON.stringify(manifest, null, 2));
 */
export function validateManifest(config: PluginManifestConfig): GeneratedManifest {
  const problems = findManifestProblems(config);
  if (problems.length > 0) throw new ManifestValidationError(problems);
  return {
    schema_version: config.schema_version,
    name_for_human: config.name_for_human,
    name_for_model: config.name_for_model,
    description_for_human: config.description_for_human,
    description_for_model: config.description_for_model,
    ...(config.auth?.instructions === undefined
      ? {}
      : { auth: { instructions: config.auth.instructions } }),
    api: { type: config.api.type, url: config.api.url },
    logo_url: config.logo_url,
    contact_email: config.contact_email,
    legal_info_url: config.legal_info_url,
  };
}
