// plugkit's build-time surface: the manifest types and rules, the spec checks and the build
// pipeline. It loads class-validator and the TypeScript compiler, so a server never imports it.
// Named exports only: any export added here becomes public API.

export type {
  AuthType,
  HttpAuthorizationType,
  ManifestAuth,
  OAuthContentType,
} from "./manifest/manifest-schema";
export {
  MANIFEST_LIMITS,
  ManifestApi,
  NoAuth,
  OAuthAuth,
  PluginManifest,
  ServiceHttpAuth,
  UserHttpAuth,
  VerificationTokens,
} from "./manifest/manifest-schema";
export type { ManifestProblem } from "./manifest/validate-manifest";
export {
  ManifestValidationError,
  findManifestProblems,
  validateManifest,
} from "./manifest/validate-manifest";
export { PLUGIN_HOSTNAME } from "./manifest/public-origin-placeholder";

export type { SpecProblem } from "./spec/check-spec";
export { SPEC_DESCRIPTION_LIMIT, checkSpec } from "./spec/check-spec";
export { prepareSpec } from "./spec/prepare-spec";

export type {
  GeneratePluginOptions,
  GeneratePluginResult,
  GeneratedFile,
} from "./build/generate-plugin";
export { PluginBuildError, generatePlugin } from "./build/generate-plugin";
