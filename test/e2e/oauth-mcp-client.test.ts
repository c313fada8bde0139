import { createServer, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browserAvailable, launchChromium, listenLocally } from "../helpers/browser";
import { createTestApp, type TestApp } from "../helpers/test-app";

// The MCP authorization flow, driven by oauth4webapi (a certified OAuth client library, the kind
// an MCP client is built on) with the sign-in in headless Chromium: discovery from a 401, the
// two metadata documents, dynamic registration, PKCE with a resource indicator, the code, the
// token, an API call, a refresh and a revocation.
const available = browserAvailable();

type OAuth = typeof import("oauth4webapi", { with: { "resolution-mode": "import" } });
const PASSWORD = "an MCP user's password";

let oauth: OAuth;
let testApp: TestApp;
let plugin: Server;
let callback: Server;
let pluginUrl: string;
let callbackUrl: string;
let browser: Browser;

describe.skipIf(!available)("an MCP client (oauth4webapi) through the whole OAuth 2.1 flow", () => {
  beforeAll(async () => {
    oauth = await import("oauth4webapi");
    // A native client's loopback callback (RFC 8252): the browser only has to land there.
    callback = createServer((_req, res) => res.end("back in the MCP client"));
    callbackUrl = `${await listenLocally(callback)}/oauth/callback`;
    // No configured client: MCP clients register themselves.
    testApp = createTestApp({ PLUGIN_AUTH: "oauth" });
    await testApp.accounts.create("mallory", PASSWORD);
    plugin = createServer(testApp.app);
    pluginUrl = await listenLocally(plugin);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await new Promise((resolve) => plugin.close(resolve));
    await new Promise((resolve) => callback.close(resolve));
    await testApp.dispose();
  });

  it("discovers, registers, signs in with PKCE and a resource, calls the API, refreshes and revokes", async () => {
    // Plain http on 127.0.0.1 in a test; real clients require https.
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- the library marks it so it stands out
    const insecure = { [oauth.allowInsecureRequests]: true };

    // 1. An unauthenticated call: 401 pointing at the protected resource metadata.
    const first = await fetch(`${pluginUrl}/todos/global`);
    expect(first.status).toBe(401);
    const challenge = first.headers.get("www-authenticate") ?? "";
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${pluginUrl}/.well-known/oauth-protected-resource`);

    // 2. Protected resource metadata (RFC 9728), then authorization server metadata (RFC 8414).
    const resourceServer = await oauth.processResourceDiscoveryResponse(
      new URL(pluginUrl),
      await oauth.resourceDiscoveryRequest(new URL(pluginUrl), insecure),
    );
    expect(resourceServer.resource).toBe(pluginUrl);
    const issuer = new URL(resourceServer.authorization_servers?.[0] ?? "");
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { ...insecure, algorithm: "oauth2" }),
    );
    expect(as.code_challenge_methods_supported).toEqual(["S256"]);
    expect(as.authorization_response_iss_parameter_supported).toBe(true);

    // 3. Dynamic client registration (RFC 7591) of a public client.
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        {
          client_name: "Test MCP client",
          redirect_uris: [callbackUrl],
          token_endpoint_auth_method: "none",
          grant_types: ["authorization_code", "refresh_token"],
        },
        insecure,
      ),
    );
    const client = { client_id: registered.client_id };
    const clientAuth = oauth.None();

    // 4. Authorization with PKCE (S256) and the resource (RFC 8707), signed in in Chromium.
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const authorizationUrl = new URL(as.authorization_endpoint ?? "");
    authorizationUrl.search = new URLSearchParams({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: callbackUrl,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      state,
      resource: pluginUrl,
    }).toString();
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    expect((await page.goto(authorizationUrl.toString()))?.status()).toBe(200);
    expect(await page.textContent("body")).toContain(
      "Test MCP client (unverified: it registered itself) is asking to use",
    );
    await page.getByLabel("Username").fill("mallory");
    await page.getByLabel("Password").fill(PASSWORD);
    await Promise.all([
      page.waitForURL(`${callbackUrl}?**`),
      page.getByRole("button", { name: "Allow" }).click(),
    ]);
    const landed = new URL(page.url());
    await context.close();

    // 5. The code for tokens; the library checks state and the iss parameter (RFC 9207).
    const params = oauth.validateAuthResponse(as, client, landed, state);
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await oauth.authorizationCodeGrantRequest(
        as,
        client,
        clientAuth,
        params,
        callbackUrl,
        verifier,
        { ...insecure, additionalParameters: { resource: pluginUrl } },
      ),
    );
    expect(tokens.token_type.toLowerCase()).toBe("bearer");
    expect(tokens.expires_in).toBe(3600);

    // 6. The API with the token.
    const call = await oauth.protectedResourceRequest(
      tokens.access_token,
      "POST",
      new URL(`${pluginUrl}/todos/global`),
      new Headers({ "Content-Type": "application/json" }),
      JSON.stringify({ todo: "from an MCP client" }),
      insecure,
    );
    expect(call.status).toBe(200);

    // 7. Refresh: a new pair; the old refresh token is spent.
    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        clientAuth,
        tokens.refresh_token ?? "",
        insecure,
      ),
    );
    const list = await fetch(`${pluginUrl}/todos/global`, {
      headers: { Authorization: `Bearer ${refreshed.access_token}` },
    });
    expect(await list.json()).toEqual({ todos: ["from an MCP client"] });

    // 8. Revocation (RFC 7009) of the refresh token ends the grant: the access token dies too.
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(
        as,
        client,
        clientAuth,
        refreshed.refresh_token ?? "",
        insecure,
      ),
    );
    const after = await fetch(`${pluginUrl}/todos/global`, {
      headers: { Authorization: `Bearer ${refreshed.access_token}` },
    });
    expect(after.status).toBe(401);
    expect(after.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });
});
