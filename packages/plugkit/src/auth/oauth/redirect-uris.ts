// Redirect URIs, in one place: how a configured or registered URI matches the one in a request,
// and which URIs a client may register.

/** ChatGPT's plugin and GPT Action callbacks, as patterns; `*` is the id ChatGPT assigns. */
export const CHATGPT_REDIRECT_PATTERNS: readonly string[] = [
  "https://chat.openai.com/aip/*/oauth/callback",
  "https://chatgpt.com/aip/*/oauth/callback",
];

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "[::1]", "localhost"]);

/**
 * Compiles allowed redirect URIs into a matcher. Matching is exact (RFC 9700 §4.1.3), with two
 * exceptions: a loopback `http` URI matches on any port (RFC 8252 §7.3: native apps listen on
 * a port of their choosing), and, only when `allowWildcards` is set, a `*` stands for one path
 * segment (letters, digits, `_` and `-`).
 */
export function redirectUriMatcher(
  allowed: readonly string[],
  { allowWildcards = false }: { allowWildcards?: boolean } = {},
): (uri: string) => boolean {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  const loopback: URL[] = [];
  for (const entry of allowed) {
    if (allowWildcards && entry.includes("*")) {
      patterns.push(
        new RegExp(
          `^${entry
            .split("*")
            .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
            .join("[A-Za-z0-9_-]+")}$`,
        ),
      );
      continue;
    }
    exact.add(entry);
    const url = parse(entry);
    if (url?.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname)) loopback.push(url);
  }
  return (uri) => {
    if (exact.has(uri) || patterns.some((pattern) => pattern.test(uri))) return true;
    const url = parse(uri);
    if (url?.protocol !== "http:" || !LOOPBACK_HOSTS.has(url.hostname)) return false;
    return loopback.some(
      (allowedUrl) =>
        allowedUrl.hostname === url.hostname &&
        allowedUrl.pathname === url.pathname &&
        allowedUrl.search === url.search,
    );
  };
}

/** The longest redirect URI accepted, in characters. */
export const MAX_REDIRECT_URI_LENGTH = 2000;

/**
 * Why a client may not register this redirect URI, or undefined when it may: an https URL, an
 * http URL on a loopback address (RFC 8252 §7.3), or a private-use scheme in reverse-domain form
 * (RFC 8252 §7.1, `com.example.app:/callback`); never a fragment, credentials or a wildcard.
 */
export function registeredRedirectUriProblem(uri: unknown): string | undefined {
  if (typeof uri !== "string" || uri === "") return "must be a non-empty string";
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return `is over ${MAX_REDIRECT_URI_LENGTH} characters`;
  const url = parse(uri);
  if (url === undefined) return "is not an absolute URI";
  if (url.hash !== "" || uri.includes("#")) return "must not have a fragment";
  if (url.username !== "" || url.password !== "") return "must not carry credentials";
  if (uri.includes("*")) return "must not contain a wildcard";
  if (url.protocol === "https:") return undefined;
  if (url.protocol === "http:") {
    return LOOPBACK_HOSTS.has(url.hostname)
      ? undefined
      : "must use https (plain http only on a loopback address such as http://127.0.0.1)";
  }
  const scheme = url.protocol.slice(0, -1);
  if (/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(scheme)) {
    return undefined;
  }
  return "must use https, http on a loopback address, or a private-use scheme in reverse-domain form (com.example.app:)";
}

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}
