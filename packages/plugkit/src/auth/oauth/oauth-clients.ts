import type { Request } from "express";
import type { AuthStore } from "../auth-store";
import { constantTimeEqual } from "../secrets";
import { InvalidClientError, InvalidRequestError } from "./oauth-errors";
import { redirectUriMatcher } from "./redirect-uris";

/** A client the authorization server knows. */
export interface OAuthClient {
  id: string;
  /** Shown on the consent page; undefined for the configured client. */
  name: string | undefined;
  /** Public clients have no secret and must use PKCE; the configured client is confidential. */
  public: boolean;
  redirectAllowed: (uri: string) => boolean;
}

/** The client configured with `OAUTH_CLIENT_ID` and `OAUTH_CLIENT_SECRET` (ChatGPT's). */
export interface ConfiguredClient {
  id: string;
  secret: string;
  /** Exact redirect URIs (`OAUTH_REDIRECT_URIS`). */
  redirectUris: readonly string[];
  /** Let `*` in a redirect URI match one path segment (`OAUTH_REDIRECT_URI_WILDCARDS`). */
  allowRedirectWildcards: boolean;
}

/** Finds clients and authenticates them at the token and revocation endpoints. */
export interface ClientRegistry {
  find(clientId: string): Promise<OAuthClient | undefined>;
  /**
   * The client a token or revocation request comes from: HTTP Basic or `client_id` (and
   * `client_secret`) in the body. A confidential client must prove its secret; a public client
   * must not send one. Anything else is `invalid_client` (401).
   */
  authenticate(req: Request, body: Record<string, string>): Promise<OAuthClient>;
}

export function createClientRegistry(
  store: AuthStore,
  configured: ConfiguredClient | undefined,
): ClientRegistry {
  const configuredClient: OAuthClient | undefined =
    configured === undefined
      ? undefined
      : {
          id: configured.id,
          name: undefined,
          public: false,
          redirectAllowed: redirectUriMatcher(configured.redirectUris, {
            allowWildcards: configured.allowRedirectWildcards,
          }),
        };
  const find = async (clientId: string): Promise<OAuthClient | undefined> => {
    if (configured !== undefined && constantTimeEqual(clientId, configured.id)) {
      return configuredClient;
    }
    const registered = await store.findOAuthClient(clientId);
    if (registered === undefined) return undefined;
    return {
      id: registered.clientId,
      name: registered.clientName,
      public: true,
      redirectAllowed: redirectUriMatcher(registered.redirectUris),
    };
  };
  return {
    find,
    authenticate: async (req, body) => {
      const basic = readBasicCredentials(req);
      if (basic !== undefined && body["client_secret"] !== undefined) {
        throw new InvalidRequestError(
          "send the client credentials once: in the Authorization header or in the body, not both",
        );
      }
      const clientId = basic?.id ?? body["client_id"];
      const secret = basic?.secret ?? body["client_secret"];
      const challenge: Record<string, string> =
        basic === undefined ? {} : { "WWW-Authenticate": 'Basic realm="plugkit"' };
      if (clientId === undefined || clientId === "") {
        throw new InvalidClientError("client authentication failed: no client_id", {
          headers: challenge,
        });
      }
      if (
        basic !== undefined &&
        body["client_id"] !== undefined &&
        body["client_id"] !== clientId
      ) {
        throw new InvalidRequestError(
          "client_id in the body differs from the Authorization header",
        );
      }
      const client = await find(clientId);
      if (client === undefined) {
        throw new InvalidClientError("client authentication failed: unknown client", {
          headers: challenge,
        });
      }
      if (client.public) {
        if (secret !== undefined && secret !== "") {
          throw new InvalidClientError(
            "client authentication failed: this client is public and has no secret",
            { headers: challenge },
          );
        }
        return client;
      }
      if (secret === undefined || !constantTimeEqual(secret, configured?.secret ?? "")) {
        throw new InvalidClientError(
          "client authentication failed: wrong or missing client_secret",
          {
            headers: challenge,
          },
        );
      }
      return client;
    },
  };
}

/** RFC 6749 §2.3.1: `Authorization: Basic base64(urlencode(id):urlencode(secret))`. */
function readBasicCredentials(req: Request): { id: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+)$/i.exec(req.get("authorization")?.trim() ?? "");
  if (match?.[1] === undefined) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) throw new InvalidClientError("malformed HTTP Basic client credentials");
  try {
    return {
      id: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
    };
  } catch {
    throw new InvalidClientError("malformed HTTP Basic client credentials");
  }
}
