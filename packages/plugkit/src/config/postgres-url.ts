import { userInfo } from "node:os";
import { ConfigError } from "../errors";

/**
 * How the connection to PostgreSQL is encrypted, from the URL's `sslmode` (libpq's meanings):
 * - `off`: plain TCP (`sslmode=disable`; the default for a server on this machine).
 * - `encrypt`: TLS without checking the server's certificate (`require`, `no-verify`, and the
 *   default for any other host: Heroku Postgres presents a certificate no CA signed).
 * - `verify-ca`: TLS with a certificate signed by a trusted CA (`sslrootcert`, else the system's).
 * - `verify-full`: `verify-ca`, and the certificate names the host.
 */
export type PostgresTls =
  | { mode: "off" }
  | { mode: "encrypt" }
  | { mode: "verify-ca" | "verify-full"; caFile: string | undefined };

/** A PostgreSQL `DATABASE_URL`, parsed. */
export interface PostgresLocation {
  kind: "postgres";
  /** The URL as given, minus the TLS parameters plugkit reads itself (`sslmode`, `sslrootcert`). */
  connectionString: string;
  tls: PostgresTls;
  /** `postgres://user@host:port/database`: the URL without its password, for logs. */
  display: string;
  /** `DATABASE_POOL_SIZE`: most connections this process opens. @default 10 */
  poolSize: number;
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);
// libpq parameters about TLS that node-postgres would otherwise read with its own meanings.
const TLS_PARAMS = ["sslmode", "sslrootcert", "sslcert", "sslkey", "ssl", "uselibpqcompat"];

/**
 * Parses a `postgres://` or `postgresql://` URL, checking what can be checked before connecting:
 * the host, the database name and the TLS parameters. Throws a {@link ConfigError} naming
 * `DATABASE_URL`, with the password left out of the message.
 */
export function parsePostgresUrl(raw: string, poolSize = 10): PostgresLocation {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      "DATABASE_URL: not a valid URL; write postgres://user:password@host:5432/database",
    );
  }
  const host = url.hostname;
  const socketHost = url.searchParams.get("host");
  if (host === "" && socketHost === null) {
    throw new ConfigError(
      "DATABASE_URL: the PostgreSQL URL has no host; write postgres://user:password@host:5432/database",
    );
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (database === "" || database.includes("/")) {
    throw new ConfigError(
      `DATABASE_URL: name one database after the host, as in postgres://user:password@host:5432/database (got path ${JSON.stringify(url.pathname)})`,
    );
  }
  const sslmode = url.searchParams.get("sslmode");
  const caFile = url.searchParams.get("sslrootcert") ?? undefined;
  if (url.searchParams.has("sslcert") || url.searchParams.has("sslkey")) {
    throw new ConfigError(
      "DATABASE_URL: client certificates (sslcert, sslkey) are not supported; use a password",
    );
  }
  const local = socketHost?.startsWith("/") === true || LOOPBACK.has(host);
  let tls: PostgresTls;
  switch (sslmode) {
    case null:
    case "prefer":
    case "allow":
      tls = local ? { mode: "off" } : { mode: "encrypt" };
      break;
    case "disable":
      tls = { mode: "off" };
      break;
    case "require":
    case "no-verify":
      // As libpq: `require` with a root certificate checks the chain (verify-ca).
      tls =
        sslmode === "require" && caFile !== undefined && caFile !== "system"
          ? { mode: "verify-ca", caFile }
          : { mode: "encrypt" };
      break;
    case "verify-ca":
      // Any certificate a public CA signed, for any host, would pass: libpq refuses it too.
      if (caFile === undefined || caFile === "system") {
        throw new ConfigError(
          "DATABASE_URL: sslmode=verify-ca needs sslrootcert=/path/to/ca.pem (the CA that signed the server's certificate); with the system's CAs use sslmode=verify-full",
        );
      }
      tls = { mode: "verify-ca", caFile };
      break;
    case "verify-full":
      tls = { mode: "verify-full", caFile: caFile === "system" ? undefined : caFile };
      break;
    default:
      throw new ConfigError(
        `DATABASE_URL: sslmode=${sslmode} is not one of disable, prefer, require, no-verify, verify-ca, verify-full`,
      );
  }
  const stripped = new URL(url.toString());
  for (const name of TLS_PARAMS) stripped.searchParams.delete(name);
  // As libpq does, a URL without a user means PGUSER, else the operating system's user.
  if (url.username === "" && stripped.searchParams.get("user") === null) {
    stripped.username = encodeURIComponent(process.env["PGUSER"] ?? userInfo().username);
  }
  const user = stripped.username === "" ? "" : `${decodeURIComponent(stripped.username)}@`;
  return {
    kind: "postgres",
    connectionString: stripped.toString(),
    tls,
    display: `postgres://${user}${host === "" ? (socketHost ?? "") : url.host}/${database}`,
    poolSize,
  };
}
