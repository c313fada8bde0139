import { PLUGIN_HOSTNAME } from "../manifest/public-origin-placeholder";
import { HTTP_METHODS, type OpenApiDocument, type Operation } from "./openapi-types";

const OPERATION_KEY_ORDER = [
  "operationId",
  "summary",
  "description",
  "tags",
  "parameters",
  "requestBody",
  "responses",
  "security",
  "deprecated",
];

function sortKeys<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(
    Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ) as T;
}

/**
 * OpenAPI 3.0 forbids siblings next to `$ref` (tsoa writes a property's description there), and
 * validators reject the document. `{ allOf: [{ $ref }], description }` says the same, validly.
 */
function wrapRefSiblings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(wrapRefSiblings);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = wrapRefSiblings(item);
  const { $ref, ...siblings } = out;
  if (typeof $ref === "string" && Object.keys(siblings).length > 0) {
    return { allOf: [{ $ref }], ...siblings };
  }
  return out;
}

function isEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length === 0;
  return value !== null && typeof value === "object" && Object.keys(value).length === 0;
}

function orderOperation(operation: Operation): Operation {
  const ordered: Operation = {};
  for (const key of OPERATION_KEY_ORDER) {
    if (operation[key] !== undefined) ordered[key] = operation[key];
  }
  for (const [key, value] of Object.entries(operation)) {
    if (!(key in ordered)) ordered[key] = value;
  }
  return ordered;
}

/**
 * Turns tsoa's spec into the one plugkit serves: `servers` is the {@link PLUGIN_HOSTNAME}
 * placeholder (filled in per request), `info` keeps only title, description and version (tsoa
 * adds the package's license and an empty contact, which the model does not need), an
 * operation's description is dropped when it only repeats its summary, empty `security` lists
 * and empty component sections are dropped, a `$ref` with siblings becomes an `allOf`, and
 * paths, schemas and
 * operation fields come in a stable order so that two builds give the same bytes.
 */
export function prepareSpec(generated: OpenApiDocument): OpenApiDocument {
  const spec = wrapRefSiblings(generated) as OpenApiDocument;
  const info: OpenApiDocument["info"] = { title: spec.info.title, version: spec.info.version };
  if (spec.info.description) info.description = spec.info.description;
  for (const [key, value] of Object.entries(spec.info)) {
    if (key.startsWith("x-")) info[key] = value;
  }

  const paths: OpenApiDocument["paths"] = {};
  for (const [path, item] of Object.entries(sortKeys(spec.paths))) {
    const next: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) {
      if ((HTTP_METHODS as readonly string[]).includes(key) && value && typeof value === "object") {
        const operation = { ...(value as Operation) };
        if (operation.description !== undefined && operation.description === operation.summary) {
          delete operation.description;
        }
        // Without a document-level requirement, `security: []` says nothing.
        if (spec["security"] === undefined && isEmpty(operation["security"])) {
          delete operation["security"];
        }
        next[key] = orderOperation(operation);
      } else {
        next[key] = value;
      }
    }
    paths[path] = next;
  }

  let components: OpenApiDocument["components"];
  for (const [key, value] of Object.entries(spec.components ?? {})) {
    // tsoa emits every section, mostly empty; keep only what the document uses.
    if (isEmpty(value)) continue;
    components ??= {};
    components[key] = key === "schemas" ? sortKeys(value as Record<string, unknown>) : value;
  }

  const {
    openapi,
    info: _info,
    servers: _servers,
    paths: _paths,
    components: _components,
    ...rest
  } = spec;
  const prepared: OpenApiDocument = {
    openapi,
    info,
    servers: [{ url: PLUGIN_HOSTNAME }],
    paths,
    ...rest,
  };
  if (components !== undefined) prepared.components = components;
  return prepared;
}
