import { stringify } from "yaml";
import type { OpenApiDocument } from "./openapi-types";

/**
 * Serialises a spec as YAML the way plugkit writes and serves it: no line folding, and no
 * anchors or aliases for repeated objects, which some OpenAPI readers do not follow.
 */
export function specToYaml(spec: OpenApiDocument): string {
  return stringify(spec, { lineWidth: 0, aliasDuplicateObjects: false });
}
