import type { Request, Response } from "express";
import { generateToken, hashToken } from "../secrets";
import { OAUTH_PATHS, ownResources, type OAuthContext } from "./oauth-context";
import {
  EndpointDisabledError,
  InvalidClientMetadataError,
  InvalidRedirectUriError,
  InvalidRequestError,
  InvalidScopeError,
  TemporarilyUnavailableError,
} from "./oauth-errors";
import { registeredRedirectUriProblem } from "./redirect-uris";
import { addressKey } from "./sign-in-throttle";
import { readStringParams } from "./token-endpoint";

/**
 * RFC 7009 revocation: a refresh token revokes its whole grant, an access token only itself.
 * The answer is 200 whether or not the token was known (§2.2), so it reveals nothing.
 */
export function createRevocationEndpoint(context: OAuthContext) {
  return async (req: Request, res: Response): Promise<void> => {
    const params = readStringParams(req, [
      "token",
      "token_type_hint",
      "client_id",
      "client_secret",
    ]);
    const client = await context.clients.authenticate(req, params);
    const token = params["token"];
    if (token === undefined || token === "") throw new InvalidRequestError("token is required");
    await context.store.revokeOAuthToken(hashToken(token), client.id, context.clock.now());
    res.status(200).set({ "Cache-Control": "no-store", Pragma: "no-cache" }).end();
  };
}

const MAX_REDIRECT_URIS = 10;
const MAX_CLIENT_NAME = 100;

/**
 * RFC 7591 dynamic client registration, for public clients only: `token_endpoint_auth_method`
 * `none`, PKCE required at authorization. Redirect URIs are checked (https, loopback http, or a
 * private-use scheme), registrations are limited per address, and clients that never complete
 * a sign-in are deleted after a day.
 */
export function createRegistrationEndpoint(context: OAuthContext) {
  return async (req: Request, res: Response): Promise<void> => {
    if (!context.registrationEnabled) {
      throw new EndpointDisabledError(
        "dynamic client registration is turned off on this server (OAUTH_DYNAMIC_REGISTRATION=false)",
      );
    }
    if (!req.is("application/json")) {
      throw new InvalidRequestError("send the client metadata as application/json (RFC 7591)");
    }
    const now = context.clock.now();
    const { perAddress, overall, windowSeconds } = context.registrationLimit;
    // Counted before anything else, so parallel registrations cannot slip past the limits; one
    // IPv6 subscriber is one /64, and all registrations together have a ceiling too.
    const taken = await context.throttles.take(
      [
        { key: `register:${addressKey(context.clientAddress(req))}`, limit: perAddress },
        { key: "register:*", limit: overall },
      ],
      now,
      windowSeconds * 1000,
    );
    if (!taken.allowed) {
      const wait = taken.retryAfterSeconds;
      throw new TemporarilyUnavailableError(
        `too many client registrations; try again in ${wait} seconds`,
        { headers: { "Retry-After": String(wait) } },
      );
    }
    context.cleanUp(now);
    const metadata: unknown = req.body;
    if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
      throw new InvalidClientMetadataError("the client metadata must be a JSON object");
    }
    const fields = metadata as Record<string, unknown>;
    const redirectUris = checkRedirectUris(fields["redirect_uris"]);
    const method = fields["token_endpoint_auth_method"] ?? "none";
    if (method !== "none") {
      throw new InvalidClientMetadataError(
        'token_endpoint_auth_method must be "none": this server registers public clients, which use PKCE',
      );
    }
    const grantTypes = stringList(fields["grant_types"], "grant_types") ?? [
      "authorization_code",
      "refresh_token",
    ];
    if (
      !grantTypes.includes("authorization_code") ||
      grantTypes.some((g) => g !== "authorization_code" && g !== "refresh_token")
    ) {
      throw new InvalidClientMetadataError(
        "grant_types must be authorization_code, optionally with refresh_token",
      );
    }
    const responseTypes = stringList(fields["response_types"], "response_types") ?? ["code"];
    if (responseTypes.length !== 1 || responseTypes[0] !== "code") {
      throw new InvalidClientMetadataError('response_types must be ["code"]');
    }
    const name = fields["client_name"];
    if (
      name !== undefined &&
      (typeof name !== "string" || name.trim() === "" || [...name].length > MAX_CLIENT_NAME)
    ) {
      throw new InvalidClientMetadataError(`client_name must be 1-${MAX_CLIENT_NAME} characters`);
    }
    const scope = fields["scope"];
    if (scope !== undefined) {
      if (typeof scope !== "string") throw new InvalidClientMetadataError("scope must be a string");
      const unknown = scope.split(" ").filter((s) => s !== "" && !context.scopes.has(s));
      if (unknown.length > 0) throw new InvalidScopeError(`unknown scope ${unknown.join(" ")}`);
    }

    const clientId = generateToken("pk_client_");
    const clientName = typeof name === "string" ? withoutControlCharacters(name).trim() : undefined;
    await context.store.saveOAuthClient({ clientId, clientName, redirectUris, createdAt: now });
    res
      .status(201)
      .set({ "Cache-Control": "no-store", Pragma: "no-cache" })
      .json({
        client_id: clientId,
        client_id_issued_at: Math.floor(now / 1000),
        ...(clientName === undefined ? {} : { client_name: clientName }),
        redirect_uris: redirectUris,
        token_endpoint_auth_method: "none",
        grant_types: grantTypes,
        response_types: ["code"],
      });
  };
}

function checkRedirectUris(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidRedirectUriError("redirect_uris must be a non-empty array of URIs");
  }
  if (value.length > MAX_REDIRECT_URIS) {
    throw new InvalidRedirectUriError(`at most ${MAX_REDIRECT_URIS} redirect_uris`);
  }
  return value.map((uri: unknown, i) => {
    const problem = registeredRedirectUriProblem(uri);
    if (problem !== undefined) throw new InvalidRedirectUriError(`redirect_uris[${i}] ${problem}`);
    return uri as string;
  });
}

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new InvalidClientMetadataError(`${name} must be an array of strings`);
  }
  return value;
}

/** RFC 8414 authorization server metadata, for this request's issuer. */
export function authorizationServerMetadata(
  context: OAuthContext,
  req: Request,
): Record<string, unknown> {
  const issuer = context.issuer(req);
  const authMethods = ["client_secret_basic", "client_secret_post", "none"];
  return {
    issuer,
    authorization_endpoint: `${issuer}${OAUTH_PATHS.authorize}`,
    token_endpoint: `${issuer}${OAUTH_PATHS.token}`,
    ...(context.registrationEnabled
      ? { registration_endpoint: `${issuer}${OAUTH_PATHS.register}` }
      : {}),
    revocation_endpoint: `${issuer}${OAUTH_PATHS.revoke}`,
    scopes_supported: [...context.scopes.keys()],
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: authMethods,
    revocation_endpoint_auth_methods_supported: authMethods,
    authorization_response_iss_parameter_supported: true,
  };
}

/**
 * RFC 9728 protected resource metadata for a resource of this server (the origin, or a
 * protected path such as `/mcp`), or undefined for a path that is not one.
 */
export function protectedResourceMetadata(
  context: OAuthContext,
  req: Request,
  resourcePath: string,
): Record<string, unknown> | undefined {
  const issuer = context.issuer(req);
  const resource = `${issuer}${resourcePath}`;
  if (!ownResources(context, issuer).includes(resource)) return undefined;
  return {
    resource,
    authorization_servers: [issuer],
    scopes_supported: [...context.scopes.keys()],
    bearer_methods_supported: ["header"],
  };
}

/** Without control and format characters (bidi overrides, zero-width ...), which could disguise a name. */
function withoutControlCharacters(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}]/gu, "");
}
