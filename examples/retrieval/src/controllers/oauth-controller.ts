import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { Controller, Get, Hidden, Path, Post, Request, Route, getOAuthServer } from "plugkit";

/** The response tsoa hands the controller along with the request. */
function responseOf(req: ExpressRequest): ExpressResponse {
  if (req.res === undefined) throw new Error("Express gave the request no response");
  return req.res;
}

/**
 * The OAuth 2.1 authorization server's endpoints (used when PLUGIN_AUTH=oauth): each delegates
 * to plugkit's OAuth server, which writes the response itself (a page, a redirect, or JSON with
 * RFC 6749's error shape). Hidden: the model never sees them in the spec.
 */
@Route("oauth")
@Hidden()
export class OAuthController extends Controller {
  /** The sign-in and consent page (the manifest's client_url). */
  @Get("authorize")
  public async authorizePage(@Request() req: ExpressRequest): Promise<void> {
    await getOAuthServer(req).authorizePage(req, responseOf(req));
  }

  /** The sign-in form's answer: redirects to the client with a code, or an error. */
  @Post("authorize")
  public async authorize(@Request() req: ExpressRequest): Promise<void> {
    await getOAuthServer(req).authorize(req, responseOf(req));
  }

  /** Codes and refresh tokens for access tokens (the manifest's authorization_url). */
  @Post("token")
  public async token(@Request() req: ExpressRequest): Promise<void> {
    await getOAuthServer(req).token(req, responseOf(req));
  }

  /** RFC 7009 token revocation. */
  @Post("revoke")
  public async revoke(@Request() req: ExpressRequest): Promise<void> {
    await getOAuthServer(req).revoke(req, responseOf(req));
  }

  /** RFC 7591 dynamic client registration, for MCP clients. */
  @Post("register")
  public async register(@Request() req: ExpressRequest): Promise<void> {
    await getOAuthServer(req).register(req, responseOf(req));
  }
}

/** Where OAuth clients discover the authorization server and the protected resource. */
@Route(".well-known")
@Hidden()
export class OAuthMetadataController extends Controller {
  /** RFC 8414 authorization server metadata. */
  @Get("oauth-authorization-server")
  public async authorizationServer(@Request() req: ExpressRequest): Promise<void> {
    await getOAuthServer(req).authorizationServerMetadata(req, responseOf(req));
  }

  /** RFC 9728 protected resource metadata for the plugin's API. */
  @Get("oauth-protected-resource")
  public async protectedResource(@Request() req: ExpressRequest): Promise<void> {
    await getOAuthServer(req).protectedResourceMetadata(req, responseOf(req));
  }

  /**
   * RFC 9728 metadata for a protected resource below the origin (`/mcp`).
   * @param resource The resource's path below the origin.
   */
  @Get("oauth-protected-resource/{resource}")
  public async protectedSubresource(
    @Path() resource: string,
    @Request() req: ExpressRequest,
  ): Promise<void> {
    await getOAuthServer(req).protectedResourceMetadata(req, responseOf(req), `/${resource}`);
  }
}
