import { readFileSync } from "node:fs";
import { join } from "node:path";
import request from "supertest";
import { silentLogger } from "../../src/logging/logger";
import { describe, expect, it } from "vitest";
import type { AuthConfig } from "../../src/config/plugin-config";
import { createPluginApp } from "../../src/server/create-plugin-app";
import { openPluginDatabase } from "../../src/store/plugin-database";
import { TEST_MANIFEST, TEST_SPEC, registerOAuthRoutes } from "../fixtures";

const logo = readFileSync(join(__dirname, "..", "..", "templates", "init", "assets", "logo.png"));
const key = "k".repeat(40);

// The manifest config owns everything but the auth type's fields and is_user_authenticated,
// which follow PLUGIN_AUTH; the author's auth.instructions is served with every auth type.
describe("the served manifest", () => {
  it.each<[AuthConfig, Record<string, unknown>, boolean]>([
    [{ type: "none" }, { type: "none" }, false],
    [
      { type: "service_http", key, authorizationType: "bearer", verificationToken: "vt" },
      { type: "service_http", authorization_type: "bearer", verification_tokens: { openai: "vt" } },
      false,
    ],
    [
      { type: "user_http", authorizationType: "basic" },
      { type: "user_http", authorization_type: "basic" },
      true,
    ],
    [
      {
        type: "oauth",
        clientId: "chatgpt",
        clientSecret: key,
        redirectUris: ["https://chatgpt.com/aip/g-1/oauth/callback"],
        allowRedirectWildcards: false,
        dynamicRegistration: true,
        verificationToken: undefined,
        codeTtl: 300,
        accessTokenTtl: 3600,
        refreshTokenTtl: 86400,
      },
      {
        type: "oauth",
        client_url: "http://localhost/oauth/authorize",
        scope: "",
        authorization_url: "http://localhost/oauth/token",
        authorization_content_type: "application/json",
        verification_tokens: {
          openai: "set-OPENAI_VERIFICATION_TOKEN-to-the-token-ChatGPT-gives-you",
        },
      },
      true,
    ],
  ])(
    "with %j: the auth type's block plus the author's instructions",
    async (auth, served, userAuthenticated) => {
      const database = openPluginDatabase({ kind: "sqlite", path: ":memory:" });
      try {
        const app = createPluginApp({
          logger: silentLogger,
          registerRoutes: registerOAuthRoutes,
          manifest: { ...TEST_MANIFEST, auth: { instructions: "Sign in with your Pets account." } },
          spec: TEST_SPEC,
          logo,
          config: { auth },
          database,
        });
        const res = await request(app).get("/.well-known/ai-plugin.json").set("Host", "localhost");
        expect(res.body.auth).toEqual({
          ...served,
          instructions: "Sign in with your Pets account.",
        });
        expect(res.body.api).toEqual({
          type: "openapi",
          url: "http://localhost/openapi.yaml",
          is_user_authenticated: userAuthenticated,
        });
        expect(Object.keys(res.body as object)).toEqual([
          "schema_version",
          "name_for_human",
          "name_for_model",
          "description_for_human",
          "description_for_model",
          "auth",
          "api",
          "logo_url",
          "contact_email",
          "legal_info_url",
        ]);
      } finally {
        await database.close();
      }
    },
  );

  it("has no instructions when the config gives none", async () => {
    const app = createPluginApp({
      logger: silentLogger,
      registerRoutes: () => undefined,
      manifest: TEST_MANIFEST,
      spec: TEST_SPEC,
      logo,
    });
    const res = await request(app).get("/.well-known/ai-plugin.json").set("Host", "localhost");
    expect(res.body.auth).toEqual({ type: "none" });
  });

  it("refuses to start PLUGIN_AUTH=oauth without the OAuth controller, naming what is missing", async () => {
    const database = openPluginDatabase({ kind: "sqlite", path: ":memory:" });
    try {
      expect(() =>
        createPluginApp({
          logger: silentLogger,
          registerRoutes: () => undefined,
          manifest: TEST_MANIFEST,
          spec: TEST_SPEC,
          logo,
          config: {
            auth: {
              type: "oauth",
              clientId: undefined,
              clientSecret: undefined,
              redirectUris: [],
              allowRedirectWildcards: false,
              dynamicRegistration: true,
              verificationToken: undefined,
              codeTtl: 300,
              accessTokenTtl: 3600,
              refreshTokenTtl: 86400,
            },
          },
          database,
        }),
      ).toThrow(
        /PLUGIN_AUTH=oauth needs the OAuth controller's endpoints, and the generated routes lack GET \/oauth\/authorize, POST \/oauth\/authorize, POST \/oauth\/token/,
      );
    } finally {
      await database.close();
    }
  });
});
