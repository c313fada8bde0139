import "reflect-metadata";
import { Type } from "class-transformer";
import {
  Equals,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  ValidateBy,
  ValidateNested,
  buildMessage,
  isURL,
  type ValidationArguments,
  type ValidationOptions,
} from "class-validator";
import { MANIFEST_LIMITS, characterCount } from "./manifest-limits";
import { PLUGIN_HOSTNAME, usesPluginHostname } from "./public-origin-placeholder";

/**
 * The manifest served at `/.well-known/ai-plugin.json`, as typed classes whose class-validator
 * rules encode the platform's limits. The classes double as the TypeScript type of a plugin's
 * manifest config, so a missing field is a compile error and a too-long one a build error.
 */

export { MANIFEST_LIMITS, characterCount } from "./manifest-limits";

/** Auth types a manifest can declare. */
export const AUTH_TYPES = ["none", "service_http", "user_http", "oauth"] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

/** How ChatGPT sends an HTTP credential. */
export const HTTP_AUTHORIZATION_TYPES = ["bearer", "basic"] as const;
export type HttpAuthorizationType = (typeof HTTP_AUTHORIZATION_TYPES)[number];

/** Body encodings ChatGPT can use for the OAuth token request. */
export const OAUTH_CONTENT_TYPES = [
  "application/json",
  "application/x-www-form-urlencoded",
] as const;
export type OAuthContentType = (typeof OAUTH_CONTENT_TYPES)[number];

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
 * An absolute http(s) URL, or a path on the plugin's own origin written as
 * `PLUGIN_HOSTNAME/path`, which the server fills in per request.
 */
export function IsPluginUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: "isPluginUrl",
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== "string") return false;
          const url = usesPluginHostname(value)
            ? `http://localhost${value.slice(PLUGIN_HOSTNAME.length)}`
            : value;
          return isURL(url, {
            require_tld: false,
            require_protocol: true,
            protocols: ["http", "https"],
          });
        },
        defaultMessage: buildMessage(
          () =>
            `$value is not a URL: write an absolute http(s) URL or "${PLUGIN_HOSTNAME}/path" for a path on this plugin's origin`,
          options,
        ),
      },
    },
    options,
  );
}

function PluginUrl(): PropertyDecorator {
  return (target, key) => {
    IsDefined(REQUIRED)(target, key);
    IsPluginUrl({
      message: (a) =>
        `${preview(a.value)} is not a URL: write an absolute http(s) URL or "${PLUGIN_HOSTNAME}/path"`,
    })(target, key);
  };
}

/** Tokens the platform issues at registration; paste ChatGPT's under `openai`. */
export class VerificationTokens {
  @IsDefined(REQUIRED)
  @IsString({ message: (a) => `must be a string, got ${preview(a.value)}` })
  @Matches(/\S/, { message: "must not be empty" })
  openai!: string;
}

function VerificationTokensField(): PropertyDecorator {
  return (target, key) => {
    IsDefined(REQUIRED)(target, key);
    IsObject({ message: 'must be an object like { "openai": "<token>" }' })(target, key);
    ValidateNested()(target, key);
    Type(() => VerificationTokens)(target, key);
  };
}

class AuthBase {
  /** Which of the four auth types the plugin uses. */
  @IsIn(AUTH_TYPES, oneOf(AUTH_TYPES))
  type!: AuthType;

  /** Optional instructions shown to the user during installation. */
  @IsOptional()
  @IsString({ message: (a) => `must be a string, got ${preview(a.value)}` })
  instructions?: string;
}

/** No authentication: anyone who can reach the API can call it. */
export class NoAuth extends AuthBase {
  declare type: "none";
}

/** One API key for the whole service, set once by the developer in ChatGPT. */
export class ServiceHttpAuth extends AuthBase {
  declare type: "service_http";

  @IsIn(HTTP_AUTHORIZATION_TYPES, oneOf(HTTP_AUTHORIZATION_TYPES))
  authorization_type!: HttpAuthorizationType;

  @VerificationTokensField()
  verification_tokens!: VerificationTokens;
}

/** Each user pastes their own API token into ChatGPT. */
export class UserHttpAuth extends AuthBase {
  declare type: "user_http";

  @IsIn(HTTP_AUTHORIZATION_TYPES, oneOf(HTTP_AUTHORIZATION_TYPES))
  authorization_type!: HttpAuthorizationType;
}

/** OAuth 2.0 authorization-code flow against the plugin's own authorization server. */
export class OAuthAuth extends AuthBase {
  declare type: "oauth";

  /** Where ChatGPT sends the user to sign in and consent. */
  @PluginUrl()
  client_url!: string;

  /** Scopes requested; may be empty. */
  @IsDefined(REQUIRED)
  @IsString({ message: (a) => `must be a string, got ${preview(a.value)}` })
  scope!: string;

  /** The token endpoint ChatGPT exchanges codes at. */
  @PluginUrl()
  authorization_url!: string;

  @IsIn(OAUTH_CONTENT_TYPES, oneOf(OAUTH_CONTENT_TYPES))
  authorization_content_type!: OAuthContentType;

  @VerificationTokensField()
  verification_tokens!: VerificationTokens;
}

/** Any of the four auth shapes, told apart by `type`. */
export type ManifestAuth = NoAuth | ServiceHttpAuth | UserHttpAuth | OAuthAuth;

/** Where the OpenAPI spec is. */
export class ManifestApi {
  @Equals("openapi", { message: (a) => `${preview(a.value)} is not allowed, use "openapi"` })
  type!: "openapi";

  /** URL of the spec, normally `PLUGIN_HOSTNAME/openapi.yaml`. */
  @PluginUrl()
  url!: string;

  /** Whether the API authenticates individual users. */
  @IsDefined(REQUIRED)
  @IsBoolean({ message: (a) => `must be true or false, got ${preview(a.value)}` })
  is_user_authenticated!: boolean;
}

/** A plugin's manifest, as served at `/.well-known/ai-plugin.json`. */
export class PluginManifest {
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

  @IsDefined(REQUIRED)
  @IsObject({ message: 'must be an object like { "type": "none" }' })
  @ValidateNested()
  @Type(() => AuthBase, {
    keepDiscriminatorProperty: true,
    discriminator: {
      property: "type",
      subTypes: [
        { value: NoAuth, name: "none" },
        { value: ServiceHttpAuth, name: "service_http" },
        { value: UserHttpAuth, name: "user_http" },
        { value: OAuthAuth, name: "oauth" },
      ],
    },
  })
  auth!: ManifestAuth;

  @IsDefined(REQUIRED)
  @IsObject({ message: 'must be an object like { "type": "openapi", "url": "...", ... }' })
  @ValidateNested()
  @Type(() => ManifestApi)
  api!: ManifestApi;

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
