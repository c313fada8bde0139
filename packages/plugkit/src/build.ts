// plugkit/build: the build-time surface. A plugin's manifest config imports its type from here,
// and tools drive the build with generatePlugin. It loads class-validator, tsoa's CLI and the
// TypeScript compiler, so a server never imports it.
// Named exports only: any export added here becomes public API.

export type {
  BuildWarning,
  GeneratePluginOptions,
  GeneratePluginResult,
  GeneratedFile,
} from "./build/generate-plugin";
export { generatePlugin } from "./build/generate-plugin";
export { PluginBuildError } from "./build/build-error";
export { MANIFEST_LIMITS } from "./manifest/manifest-limits";
export {
  ManifestApiConfig,
  ManifestAuthConfig,
  PluginManifestConfig,
} from "./manifest/manifest-schema";
export type { ManifestProblem } from "./manifest/validate-manifest";
export { findManifestProblems } from "./manifest/validate-manifest";
export { PLUGIN_HOSTNAME } from "./manifest/public-origin-placeholder";
