/** Where the manifest is served. */
export const MANIFEST_PATH = "/.well-known/ai-plugin.json";
/** Where the spec is served, as YAML and as JSON. */
export const SPEC_PATHS: readonly string[] = ["/openapi.yaml", "/openapi.json"];
/** Where the logo is served. */
export const LOGO_PATH = "/logo.png";
/** Where the GPT Action's spec (OpenAPI 3.1) is served. */
export const ACTIONS_SPEC_PATH = "/openapi.actions.json";
