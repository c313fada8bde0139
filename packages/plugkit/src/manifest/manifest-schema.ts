import "reflect-metadata";
import { Type } from "class-transformer";
import {
  Equals,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  ValidateBy,
  ValidateNested,
  isURL,
  type ValidationArguments,
  type ValidationOptions,
} from "class-validator";
import { MANIFEST_LIMITS, characterCount } from "./manifest-limits";
import { PLUGIN_HOSTNAME, usesPluginHostname } from "./public-origin-placeholder";

/**
 * A plugin's manifest config, as typed classes whose class-validator rules encode the
 * platform's limits. The classes double as the TypeScript type of the config, so a missing
 * field is a compile error and a too-long one a build error. The config holds what the author
 * owns; the auth type's fields and `api.is_user_authenticated` belong to the server, which
 * fills them in for the configured `PLUGIN_AUTH`.
 */

/** A short, quoted rendering of a value for error messages. */
export function preview(value: unknown): string {
  if (value === undefined) return "undefined";
  const text = (JSON.stringify(value) as string | undefined) ?? typeof value;
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const REQUIRED = { message: "is required" };

/** A required string of 1 to `max` characters. */
function Text(max: number): PropertyDecorator {
  const limit = ValidateBy({
    name: "textLength",
    constraints: [max],
    validator: {
      validate: (value: unknown) =>
        typeof value === "string" && value.trim() !== "" && characterCount(value) <= max,
      defaultMessage: (args?: ValidationArguments) => {
        const value: unknown = args?.value;
        if (typeof value !== "string") return `must be a string, got ${preview(value)}`;
        if (value.trim() === "") return "must not be empty";
        return `${characterCount(value)} characters, the limit is ${max} (${preview(value)})`;
      },
    },
  });
  return (target, key) => {
    IsDefined(REQUIRED)(target, key);
    limit(target, key);
  };
}

function oneOf(values: readonly unknown[]): ValidationOptions {
  const allowed = values.map((v) => JSON.stringify(v)).join(", ");
  return {
    message: (args: ValidationArguments) =>
      args.value === undefined
        ? `is required, use one of: ${allowed}`
        : `${preview(args.value)} is not allowed, use one of: ${allowed}`,
  };
}

/**
 * What is wrong with a manifest URL, or undefined when it is fine: an absolute http(s) URL that
 * ChatGPT can reach, or `PLUGIN_HOSTNAME/path` for a path on the plugin's own origin, which the
 * server fills in per request. A URL on localhost or a private network works only on the
 * developer's machine, so it is refused: the placeholder is the way to point at this plugin.
 */
export function pluginUrlProblem(value: unknown): string | undefined {
  if (typeof value !== "string") return `must be a string, got ${preview(value)}`;
  const absolute = usesPluginHostname(value)
    ? `http://localhost${value.slice(PLUGIN_HOSTNAME.length)}`
    : value;
  if (
    !isURL(absolute, { require_tld: false, require_protocol: true, protocols: ["http", "https"] })
  ) {
    return `${preview(value)} is not a URL: write an absolute https URL, or "${PLUGIN_HOSTNAME}/path" for a path on this plugin's origin`;
  }
  if (usesPluginHostname(value)) return undefined;
  const url = new URL(value);
  if (isLocalHost(url.hostname)) {
    return `${preview(value)} points at ${url.hostname}, which ChatGPT cannot reach once the plugin is deployed: write "${PLUGIN_HOSTNAME}${url.pathname}" for a file this plugin serves, or a public https URL`;
  }
  return undefined;
}

/** localhost, loopback, unspecified and private-network addresses (RFC 1918, RFC 4193). */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, "");
  if (host === "localhost" || host.endsWith(".localhost") || host === "::1" || host === "::") {
    return true;
  }
  const ipv4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (ipv4 !== null) {
    const [a, b] = [Number(ipv4[1]), Number(ipv4[2])];
    return (
      a === 127 ||
      a === 10 ||
      a === 0 ||
      (a === 192 && b === 168) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 169 && b === 254)
    );
  }
  return /^f[cd][0-9a-f]{2}:/.test(host) || host.startsWith("fe80:");
}

function PluginUrl(): PropertyDecorator {
  const rule = ValidateBy({
    name: "isPluginUrl",
    validator: {
      validate: (value: unknown) => pluginUrlProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) =>
        pluginUrlProblem(args?.value) ?? "is not valid",
    },
  });
  return (target, key) => {
    IsDefined(REQUIRED)(target, key);
    rule(target, key);
  };
}

/** The part of the manifest's `auth` block the author writes. */
export class ManifestAuthConfig {
  /** Instructions shown to the user when they install the plugin. */
  @IsOptional()
  @IsString({ message: (a) => `must be a string, got ${preview(a.value)}` })
  @Matches(/\S/, { message: "must not be empty" })
  instructions?: string;
}

/** Where the OpenAPI spec is. */
export class ManifestApiConfig {
  @Equals("openapi", { message: (a) => `${preview(a.value)} is not allowed, use "openapi"` })
  type!: "openapi";

  /** URL of the spec, normally `PLUGIN_HOSTNAME/openapi.yaml`. */
  @PluginUrl()
  url!: string;
}

/**
 * A plugin's manifest config: `npm run build` checks it and writes `generated/ai-plugin.json`;
 * the server serves it at `/.well-known/ai-plugin.json` with the public origin and the auth
 * type filled in.
 *
 * @example
 * export const pluginManifest: PluginManifestConfig = {
 *   schema_version: "v1",
 *   name_for_human: "TODO List",
 *   name_for_model: "todo",
 *   description_for_human: "Manage your TODO list.",
 *   description_for_model: "Manage a TODO list: view, add and delete todos.",
 *   api: { type: "openapi", url: `${PLUGIN_HOSTNAME}/openapi.yaml` },
 *   logo_url: `${PLUGIN_HOSTNAME}/logo.png`,
 *   contact_email: "support@example.com",
 *   legal_info_url: "https://example.com/legal",
 * };
 */
export class PluginManifestConfig {
  @IsIn(["v1"], oneOf(["v1"]))
  schema_version!: "v1";

  /** Shown to users in the plugin store; at most 20 characters. */
  @Text(MANIFEST_LIMITS.name_for_human)
  name_for_human!: string;

  /** The namespace the model uses for the plugin; at most 50 letters, digits or underscores. */
  @Text(MANIFEST_LIMITS.name_for_model)
  @Matches(/^[A-Za-z0-9_]+$/, {
    message: (a) => `${preview(a.value)} may contain only letters, digits and underscores`,
  })
  name_for_model!: string;

  /** Shown to users; at most 100 characters. */
  @Text(MANIFEST_LIMITS.description_for_human)
  description_for_human!: string;

  /** Read by the model to decide when and how to call the plugin; at most 8,000 characters. */
  @Text(MANIFEST_LIMITS.description_for_model)
  description_for_model!: string;

  /**
   * Only `instructions`: the auth type and its fields come from `PLUGIN_AUTH` when the plugin
   * is served, so one build serves every auth type.
   */
  @IsOptional()
  @IsObject({ message: 'must be an object like { "instructions": "..." }' })
  @ValidateNested()
  @Type(() => ManifestAuthConfig)
  auth?: ManifestAuthConfig;

  @IsDefined(REQUIRED)
  @IsObject({ message: 'must be an object like { "type": "openapi", "url": "..." }' })
  @ValidateNested()
  @Type(() => ManifestApiConfig)
  api!: ManifestApiConfig;

  /** The logo, 512x512 PNG suggested; normally `PLUGIN_HOSTNAME/logo.png`. */
  @PluginUrl()
  logo_url!: string;

  /** Contact for safety, moderation and support. */
  @IsDefined(REQUIRED)
  @IsEmail({}, { message: (a) => `${preview(a.value)} is not an email address` })
  contact_email!: string;

  /** A page with the plugin's legal information. */
  @PluginUrl()
  legal_info_url!: string;
}
