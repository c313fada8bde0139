import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config";

describe("loadConfig", () => {
  it("serves on port 3333 from ./data/plugkit.db with ChatGPT's origins by default", () => {
    expect(loadConfig({}, "/srv/app")).toEqual({
      port: 3333,
      host: undefined,
      publicUrl: undefined,
      database: { kind: "sqlite", path: "/srv/app/data/plugkit.db" },
      corsOrigins: ["https://chat.openai.com", "https://chatgpt.com"],
      trustedProxyHops: 0,
      auth: { type: "none" },
      logLevel: "info",
      redis: undefined,
      apiRateLimit: { limit: 600, windowSeconds: 60 },
      mcpEnabled: true,
      stats: { type: "embedded" },
    });
  });

  it("reads every variable", () => {
    const config = loadConfig(
      {
        PORT: "8080",
        HOST: "127.0.0.1",
        PUBLIC_URL: "https://todo.example.com/",
        DATABASE_URL: "file:/tmp/x.db",
        CORS_ORIGINS: "https://chatgpt.com, http://localhost:5173",
        TRUSTED_PROXY_HOPS: "1",
        LOG_LEVEL: "WARN",
        REDIS_URL: "rediss://default:pw@redis.example.com:6380",
        REDIS_TLS_VERIFY: "false",
        REDIS_KEY_PREFIX: "todo:",
        API_RATE_LIMIT: "0",
        API_RATE_LIMIT_WINDOW_SECONDS: "10",
        MCP_ENABLED: "false",
      },
      "/srv/app",
    );
    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      publicUrl: "https://todo.example.com",
      database: { kind: "sqlite", path: "/tmp/x.db" },
      corsOrigins: ["https://chatgpt.com", "http://localhost:5173"],
      trustedProxyHops: 1,
      auth: { type: "none" },
      logLevel: "warn",
      redis: {
        url: "rediss://default:pw@redis.example.com:6380",
        tlsVerify: false,
        keyPrefix: "todo:",
      },
      apiRateLimit: { limit: 0, windowSeconds: 10 },
      mcpEnabled: false,
      stats: { type: "embedded" },
    });
  });

  it("treats empty variables as unset", () => {
    expect(loadConfig({ PORT: "", PUBLIC_URL: " ", CORS_ORIGINS: "" }, "/srv").port).toBe(3333);
  });

  it("lists every invalid variable by name in one error", () => {
    expect(() =>
      loadConfig({
        PORT: "eighty",
        PUBLIC_URL: "todo.example.com",
        DATABASE_URL: "postgres://db.example.com",
        CORS_ORIGINS: "https://chatgpt.com/path",
        TRUSTED_PROXY_HOPS: "maybe",
        LOG_LEVEL: "loud",
        REDIS_URL: "localhost:6379",
      }),
    ).toThrow(
      [
        "Invalid configuration:",
        '  - PORT: "eighty" is not a port number (0-65535)',
        '  - PUBLIC_URL: "todo.example.com" is not a URL; write it like https://plugin.example.com',
        '  - DATABASE_URL: name one database after the host, as in postgres://user:password@host:5432/database (got path "")',
        '  - CORS_ORIGINS: "https://chatgpt.com/path" is not an origin; write it like https://chatgpt.com (scheme and host, no path)',
        '  - TRUSTED_PROXY_HOPS: "maybe" must be a whole number from 0 to 10',
        '  - LOG_LEVEL: "loud" must be one of debug, info, warn, error or silent',
        "  - REDIS_URL: must be a redis:// or rediss:// URL, e.g. redis://127.0.0.1:6379",
      ].join("\n"),
    );
  });

  it("refuses a PUBLIC_URL with a path and a port above 65535", () => {
    expect(() => loadConfig({ PUBLIC_URL: "https://x.example/plugin" })).toThrow(
      /PUBLIC_URL: .* must be an origin only/,
    );
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT: "70000" is not a port number/);
  });

  describe("auth", () => {
    const secret = "s".repeat(32);

    it("reads service_http with its key, authorization type and verification token", () => {
      expect(
        loadConfig({
          PLUGIN_AUTH: "service_http",
          SERVICE_AUTH_KEY: secret,
          AUTHORIZATION_TYPE: "Basic",
          OPENAI_VERIFICATION_TOKEN: "vt",
        }).auth,
      ).toEqual({
        type: "service_http",
        key: secret,
        authorizationType: "basic",
        verificationToken: "vt",
      });
    });

    it("reads user_http with bearer by default", () => {
      expect(loadConfig({ PLUGIN_AUTH: "user_http" }).auth).toEqual({
        type: "user_http",
        authorizationType: "bearer",
      });
    });

    it("reads oauth with no redirect URI, registration on and an hour-long access token by default", () => {
      expect(
        loadConfig({
          PLUGIN_AUTH: "oauth",
          OAUTH_CLIENT_ID: "chatgpt",
          OAUTH_CLIENT_SECRET: secret,
        }).auth,
      ).toEqual({
        type: "oauth",
        clientId: "chatgpt",
        clientSecret: secret,
        redirectUris: [],
        allowRedirectWildcards: false,
        dynamicRegistration: true,
        verificationToken: undefined,
        codeTtl: 300,
        accessTokenTtl: 3600,
        refreshTokenTtl: 2592000,
      });
    });

    it("reads oauth without a configured client (MCP clients only), and wildcards on request", () => {
      expect(loadConfig({ PLUGIN_AUTH: "oauth" }).auth).toMatchObject({
        type: "oauth",
        clientId: undefined,
        clientSecret: undefined,
      });
      expect(
        loadConfig({
          PLUGIN_AUTH: "oauth",
          OAUTH_CLIENT_ID: "c",
          OAUTH_CLIENT_SECRET: secret,
          OAUTH_REDIRECT_URIS: "https://chatgpt.com/aip/*/oauth/callback",
          OAUTH_REDIRECT_URI_WILDCARDS: "true",
          OAUTH_DYNAMIC_REGISTRATION: "false",
        }).auth,
      ).toMatchObject({ allowRedirectWildcards: true, dynamicRegistration: false });
    });

    it.each([
      [
        { PLUGIN_AUTH: "basic" },
        'PLUGIN_AUTH: "basic" must be one of none, service_http, user_http or oauth',
      ],
      [{ PLUGIN_AUTH: "service_http" }, "SERVICE_AUTH_KEY: required when PLUGIN_AUTH=service_http"],
      [
        { PLUGIN_AUTH: "service_http", SERVICE_AUTH_KEY: "short" },
        "SERVICE_AUTH_KEY: must be at least 32 characters (got 5)",
      ],
      [
        { PLUGIN_AUTH: "user_http", AUTHORIZATION_TYPE: "token" },
        'AUTHORIZATION_TYPE: "token" must be bearer or basic',
      ],
      [
        { PLUGIN_AUTH: "oauth", OAUTH_CLIENT_SECRET: secret },
        "OAUTH_CLIENT_ID: required with OAUTH_CLIENT_SECRET",
      ],
      [
        {
          PLUGIN_AUTH: "oauth",
          OAUTH_CLIENT_ID: "c",
          OAUTH_CLIENT_SECRET: secret,
          OAUTH_REDIRECT_URIS: "https://chatgpt.com/aip/*/oauth/callback",
        },
        'OAUTH_REDIRECT_URIS: "https://chatgpt.com/aip/*/oauth/callback" has a wildcard; write the exact callback ChatGPT shows',
      ],
      [
        { TRUST_FORWARDED_HEADERS: "true" },
        "TRUST_FORWARDED_HEADERS: replaced by TRUSTED_PROXY_HOPS",
      ],
      [
        { PLUGIN_AUTH: "oauth", OAUTH_CLIENT_ID: "c" },
        "OAUTH_CLIENT_SECRET: required when PLUGIN_AUTH=oauth",
      ],
      [
        { PLUGIN_AUTH: "oauth", OAUTH_CLIENT_ID: "c", OAUTH_CLIENT_SECRET: "x".repeat(31) },
        "OAUTH_CLIENT_SECRET: must be at least 32 characters",
      ],
      [
        {
          PLUGIN_AUTH: "oauth",
          OAUTH_CLIENT_ID: "c",
          OAUTH_CLIENT_SECRET: secret,
          OAUTH_REDIRECT_URIS: "chatgpt.com/cb",
        },
        'OAUTH_REDIRECT_URIS: "chatgpt.com/cb" is not an http(s) URL',
      ],
      [
        {
          PLUGIN_AUTH: "oauth",
          OAUTH_CLIENT_ID: "c",
          OAUTH_CLIENT_SECRET: secret,
          OAUTH_ACCESS_TOKEN_TTL: "5",
        },
        'OAUTH_ACCESS_TOKEN_TTL: "5" must be a whole number of seconds from 60 to 86400',
      ],
    ])("refuses %j, naming the variable", (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });
  });
});
