/**
 * The host placeholder written into generated files in place of the public origin
 * (`https://plugin.example.com`). The plugin server replaces it on every request, so one build
 * serves localhost and production alike. The name is the one OpenAI's plugin examples use.
 *
 * @example
 * logo_url: `${PLUGIN_HOSTNAME}/logo.png`
 */
export const PLUGIN_HOSTNAME = "PLUGIN_HOSTNAME";

/** True when `value` is the placeholder itself or starts with `PLUGIN_HOSTNAME/`. */
export function usesPluginHostname(value: string): boolean {
  return value === PLUGIN_HOSTNAME || value.startsWith(`${PLUGIN_HOSTNAME}/`);
}

/**
 * Returns a deep copy of a JSON value in which every string that starts with the placeholder
 * (`PLUGIN_HOSTNAME/logo.png`) starts with `origin` instead. Other strings are left alone, so a
 * description that mentions the word is never rewritten.
 */
export function fillPluginHostname<T>(value: T, origin: string): T {
  return fill(value, origin) as T;
}

function fill(value: unknown, origin: string): unknown {
  if (typeof value === "string") {
    return usesPluginHostname(value) ? origin + value.slice(PLUGIN_HOSTNAME.length) : value;
  }
  if (Array.isArray(value)) return value.map((item) => fill(item, origin));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = fill(item, origin);
    return out;
  }
  return value;
}
