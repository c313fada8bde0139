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
    ["postgres://localhost", "name one database after the host"],
    ["postgres://localhost/a/b", "name one database after the host"],
    ["postgres://db.example.com/app?sslmode=sometimes", "sslmode=sometimes is not one of"],
    ["postgres://db.example.com/app?sslcert=/c.pem", "client certificates"],
    // Without its own CA, verify-ca would accept any publicly signed certificate for any host.
    ["postgres://db.example.com/app?sslmode=verify-ca", "sslmode=verify-ca needs sslrootcert"],
    [
      "postgres://db.example.com/app?sslmode=verify-ca&sslrootcert=system",
      "sslmode=verify-ca needs sslrootcert",
    ],
    ["postgres://:5432/app", "not a valid URL"],
    ["postgres:///app", "has no host"],
    ["mysql://root:hunter2@localhost/test", "is not supported; use a SQLite file URL"],
    ["./data/plugkit.db", "is not supported; use a SQLite file URL"],
    ["file://host/x.db", "names a host"],
    ["file:", "the file path is empty"],
  ])("refuses %s, naming DATABASE_URL", (url, message) => {
    expect(() => parseDatabaseUrl(url)).toThrow(ConfigError);
    expect(() => parseDatabaseUrl(url)).toThrow(/^DATABASE_URL: /);
    expect(() => parseDatabaseUrl(url)).toThrow(message);
  });
});

describe("parseDatabaseUrl with a PostgreSQL URL", () => {
  it.each([
    // Heroku's DATABASE_URL names no sslmode and needs TLS with a certificate no CA signed.
    ["postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d1", { mode: "encrypt" }],
    ["postgresql://u:p@127.0.0.1:5432/test", { mode: "off" }],
    ["postgres://u@localhost/test", { mode: "off" }],
    ["postgres://u@[::1]/test", { mode: "off" }],
    // Fly Postgres on the private network: `fly postgres attach` writes sslmode=disable.
    ["postgres://u:p@app-db.flycast:5432/app?sslmode=disable", { mode: "off" }],
    ["postgres://u:p@db.example.com/app?sslmode=require", { mode: "encrypt" }],
    ["postgres://u:p@db.example.com/app?sslmode=no-verify", { mode: "encrypt" }],
    ["postgres://u:p@localhost/app?sslmode=prefer", { mode: "off" }],
    [
      "postgres://u:p@db.example.com/app?sslmode=verify-full",
      { mode: "verify-full", caFile: undefined },
    ],
    [
      "postgres://u:p@db.example.com/app?sslmode=verify-ca&sslrootcert=/etc/ca.pem",
      { mode: "verify-ca", caFile: "/etc/ca.pem" },
    ],
    // libpq: require with a root certificate checks the chain, as verify-ca.
    [
      "postgres://u:p@db.example.com/app?sslmode=require&sslrootcert=/etc/ca.pem",
      { mode: "verify-ca", caFile: "/etc/ca.pem" },
    ],
  ])("reads %s's TLS the way libpq does", (url, tls) => {
    const location = parseDatabaseUrl(url);
    expect(location.kind === "postgres" && location.tls).toEqual(tls);
  });

  it("passes the URL on without the TLS parameters it reads itself, and shows it without the password", () => {
    const location = parseDatabaseUrl(
      "postgres://app:s3cret@db.example.com:6543/todos?sslmode=require&application_name=x",
    );
    expect(location).toEqual({
      kind: "postgres",
      connectionString: "postgres://app:s3cret@db.example.com:6543/todos?application_name=x",
      tls: { mode: "encrypt" },
      display: "postgres://app@db.example.com:6543/todos",
      poolSize: 10,
    });
  });

  it("never puts the password in an error message", () => {
    expect(() => parseDatabaseUrl("mysql://root:hunter2@localhost/x")).not.toThrow(/hunter2/);
    expect(() => parseDatabaseUrl("postgres://root:hunter2@db.example.com")).not.toThrow(/hunter2/);
  });
});
