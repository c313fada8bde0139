import type { GeneratedManifest, ServedManifest } from "../manifest/manifest-types";
import type { OpenApiDocument, Operation } from "../spec/openapi-types";
import { HTTP_METHODS } from "../spec/openapi-types";
import { SECURITY_SCHEME, type PluginAuth } from "./plugin-auth";

/**
 * The manifest as served for an auth type: the build's manifest, with the auth type's `auth`
 * block (plus the author's `instructions`) and `api.is_user_authenticated`.
 */
export function applyAuthToManifest(manifest: GeneratedManifest, auth: PluginAuth): ServedManifest {
  const instructions = manifest.auth?.instructions;
  return {
    schema_version: manifest.schema_version,
    name_for_human: manifest.name_for_human,
    name_for_model: manifest.name_for_model,
    description_for_human: manifest.description_for_human,
    description_for_model: manifest.description_for_model,
    auth: instructions === undefined ? auth.manifestAuth : { ...auth.manifestAuth, instructions },
    api: { ...manifest.api, is_user_authenticated: auth.isUserAuthenticated },
    logo_url: manifest.logo_url,
    contact_email: manifest.contact_email,
    legal_info_url: manifest.legal_info_url,
  };
}

/**
 * The spec as served for an auth type. Operations marked `@Security("plugin")` require the
 * auth's security scheme and document its 401; with `none` the requirement and the scheme are
 * removed, so the model never sees a credential it cannot send. When the auth identifies accounts, `accountNote` is
 * appended to `info.description`, to tell the model how data is scoped.
 */
export function applyAuthToSpec(
  spec: OpenApiDocument,
  auth: PluginAuth,
  accountNote?: string,
): OpenApiDocument {
  const served = structuredClone(spec);
  const scheme = auth.securityScheme;
  const errorSchema =
    served.components?.schemas?.["ErrorResponse"] === undefined
      ? { type: "object", properties: { error: { type: "string" }, message: { type: "string" } } }
      : { $ref: "#/components/schemas/ErrorResponse" };
  for (const item of Object.values(served.paths)) {
    for (const method of HTTP_METHODS) {
      const operation: Operation | undefined = item[method];
      const security = operation?.["security"] as Record<string, unknown>[] | undefined;
      if (
        operation === undefined ||
        !security?.some((requirement) => SECURITY_SCHEME in requirement)
      )
        continue;
      if (scheme === undefined) {
        const remaining = security.filter((requirement) => !(SECURITY_SCHEME in requirement));
        if (remaining.length === 0) delete operation["security"];
        else operation["security"] = remaining;
      } else {
        const responses = (operation.responses ??= {});
        responses["401"] ??= {
          description: "Missing or invalid credentials",
          content: { "application/json": { schema: errorSchema } },
        };
        operation.responses = Object.fromEntries(
          Object.entries(responses).sort(([a], [b]) => a.localeCompare(b)),
        );
      }
    }
  }
  const components = (served.components ??= {});
  const { [SECURITY_SCHEME]: _replaced, ...schemes } = {
    ...(components["securitySchemes"] as Record<string, unknown> | undefined),
  };
  if (scheme !== undefined) schemes[SECURITY_SCHEME] = scheme;
  if (Object.keys(schemes).length === 0) delete components["securitySchemes"];
  else components["securitySchemes"] = schemes;
  if (Object.keys(components).length === 0) delete served.components;
  if (accountNote !== undefined && auth.isUserAuthenticated) {
    served.info = {
      ...served.info,
      description: [served.info.description, accountNote].filter(Boolean).join(" "),
    };
  }
  return served;
}
