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
      trustForwardedHeaders: true,
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
        TRUST_FORWARDED_HEADERS: "false",
      },
      "/srv/app",
    );
    expect(config).toEqual({
      port: 8080,
      host: "127.0.0.1",
      publicUrl: "https://todo.example.com",
      database: { kind: "sqlite", path: "/tmp/x.db" },
      corsOrigins: ["https://chatgpt.com", "http://localhost:5173"],
      trustForwardedHeaders: false,
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
        DATABASE_URL: "postgres://x",
        CORS_ORIGINS: "https://chatgpt.com/path",
        TRUST_FORWARDED_HEADERS: "maybe",
      }),
    ).toThrow(
      [
        "Invalid configuration:",
        '  - PORT: "eighty" is not a port number (0-65535)',
        '  - PUBLIC_URL: "todo.example.com" is not a URL; write it like https://plugin.example.com',
        "  - DATABASE_URL: PostgreSQL is not supported yet; use a SQLite file such as file:./data/plugkit.db",
        '  - CORS_ORIGINS: "https://chatgpt.com/path" is not an origin; write it like https://chatgpt.com (scheme and host, no path)',
        '  - TRUST_FORWARDED_HEADERS: "maybe" must be true or false',
      ].join("\n"),
    );
  });

  it("refuses a PUBLIC_URL with a path and a port above 65535", () => {
    expect(() => loadConfig({ PUBLIC_URL: "https://x.example/plugin" })).toThrow(
      /PUBLIC_URL: .* must be an origin only/,
    );
    expect(() => loadConfig({ PORT: "70000" })).toThrow(/PORT: "70000" is not a port number/);
  });
});
