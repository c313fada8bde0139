/** ChatGPT's OAuth callbacks; `*` is the plugin id ChatGPT assigns at registration. */
export const CHATGPT_REDIRECT_URIS: readonly string[] = [
  "https://chat.openai.com/aip/*/oauth/callback",
  "https://chatgpt.com/aip/*/oauth/callback",
];

/** Compiles redirect URI patterns: exact strings, where `*` matches one path segment. */
export function redirectUriMatcher(patterns: readonly string[]): (uri: string) => boolean {
  const regexes = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .split("*")
          .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&"))
          .join("[A-Za-z0-9_-]+")}$`,
      ),
  );
  return (uri) => regexes.some((regex) => regex.test(uri));
}
