// The manifest's shapes as plain types, for code that runs in the server (the class-validator
// rules that check a plugin's manifest config at build time are in manifest-schema.ts).

/** Auth types a manifest can declare. */
export const AUTH_TYPES = ["none", "service_http", "user_http", "oauth"] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

/** How ChatGPT sends an HTTP credential. */
export const HTTP_AUTHORIZATION_TYPES = ["bearer", "basic"] as const;
export type HttpAuthorizationType = (typeof HTTP_AUTHORIZATION_TYPES)[number];

/** Body encodings ChatGPT can use for the OAuth token request. */
export type OAuthContentType = "application/json" | "application/x-www-form-urlencoded";

/** The manifest's `auth` block for each auth type, as the plugin server serves it. */
export type ManifestAuth = { instructions?: string } & (
  | { type: "none" }
  | {
      type: "service_http";
      authorization_type: HttpAuthorizationType;
      verification_tokens: { openai: string };
    }
  | { type: "user_http"; authorization_type: HttpAuthorizationType }
  | {
      type: "oauth";
      client_url: string;
      scope: string;
      authorization_url: string;
      authorization_content_type: OAuthContentType;
      verification_tokens: { openai: string };
    }
);

/**
 * `generated/ai-plugin.json`: the manifest as the build writes it, from the plugin's manifest
 * config. Its `auth` holds only what the author wrote (`instructions`); the auth type's fields
 * and `api.is_user_authenticated` are added by the server for the configured `PLUGIN_AUTH`.
 */
export interface GeneratedManifest {
  schema_version: "v1";
  name_for_human: string;
  name_for_model: string;
  description_for_human: string;
  description_for_model: string;
  auth?: { instructions?: string };
  api: { type: "openapi"; url: string };
  logo_url: string;
  contact_email: string;
  legal_info_url: string;
}

/** The manifest served at `/.well-known/ai-plugin.json` (before the origin is filled in). */
export interface ServedManifest extends Omit<GeneratedManifest, "auth" | "api"> {
  auth: ManifestAuth;
  api: { type: "openapi"; url: string; is_user_authenticated: boolean };
}
