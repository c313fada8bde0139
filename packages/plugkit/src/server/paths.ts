/** Where the manifest is served. */
export const MANIFEST_PATH = "/.well-known/ai-plugin.json";
/** Where the spec is served as YAML. */
export const SPEC_YAML_PATH = "/openapi.yaml";
/** Where the spec is served as JSON. */
export const SPEC_JSON_PATH = "/openapi.json";
/** Where the spec is served, as YAML and as JSON. */
export const SPEC_PATHS: readonly string[] = [SPEC_YAML_PATH, SPEC_JSON_PATH];
/** Where the logo is served. */
export const LOGO_PATH = "/logo.png";
/** Where the GPT Action's spec (OpenAPI 3.1) is served. */
export const ACTIONS_SPEC_PATH = "/openapi.actions.json";
/** The health checks: the process is up; it can do its work. */
export const HEALTH_PATH = "/healthz";
export const READY_PATH = "/readyz";
/** Every path the app serves with GET besides the API: its files and its health checks. */
export const FIXED_GET_PATHS: readonly string[] = [
  MANIFEST_PATH,
  ...SPEC_PATHS,
  ACTIONS_SPEC_PATH,
  LOGO_PATH,
  HEALTH_PATH,
  READY_PATH,
];

/** An Express route path (`/todos/:username`) as a pattern, as Express's router matches it. */
export interface PathPattern {
  /** Matches a request's path: any case, an optional trailing slash. */
  regex: RegExp;
  /** The parameters' names, in the order of the regex's groups. */
  keys: string[];
}

/**
 * Compiles a route path of literal segments and `:name` parameters (what tsoa generates) the
 * way Express 5 matches it: case-insensitively, with an optional trailing slash, a parameter
 * being one non-empty segment. Returns undefined for any other syntax (`*`, `{}`, `?`, `(`).
 */
export function compilePath(path: string): PathPattern | undefined {
  const keys: string[] = [];
  const segments: string[] = [];
  for (const segment of path.split("/")) {
    if (segment.startsWith(":")) {
      const key = segment.slice(1);
      if (!/^[A-Za-z_$][\w$]*$/.test(key)) return undefined;
      keys.push(key);
      segments.push("([^/]+?)");
    } else if (/^[\w.~@!$&'+,;=-]*$/.test(segment)) {
      segments.push(segment.replace(/[.$+]/g, "\\$&"));
    } else {
      return undefined;
    }
  }
  return { regex: new RegExp(`^${segments.join("/")}/?$`, "i"), keys };
}
