import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors";
import { parseDatabaseUrl } from "../../src/config/plugin-config";

describe("parseDatabaseUrl", () => {
  it.each([
    ["file:./data/plugkit.db", "/srv/app/data/plugkit.db"],
    ["file:data/x.db", "/srv/app/data/x.db"],
    ["file:/var/lib/todos.db", "/var/lib/todos.db"],
    ["file:///var/lib/todos.db", "/var/lib/todos.db"],
    ["file:/var/lib/my%20todos.db?mode=rwc", "/var/lib/my todos.db"],
    ["file::memory:", ":memory:"],
  ])("reads %s as %s", (url, path) => {
    expect(parseDatabaseUrl(url, "/srv/app")).toEqual({ kind: "sqlite", path });
  });

  it.each([
    ["postgres://localhost/test", "PostgreSQL is not supported yet"],
    ["mysql://localhost/test", "is not supported; use a SQLite file URL"],
    ["./data/plugkit.db", "is not supported; use a SQLite file URL"],
    ["file://host/x.db", "names a host"],
    ["file:", "the file path is empty"],
  ])("refuses %s, naming DATABASE_URL", (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(ConfigError);
    expect(() => parseDatabaseUrl(url)).toThrow(/^DATABASE_URL: /);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });
});
