import { parse } from "node:querystring";

/**
 * The query string parser of plugin apps: repeated keys become arrays (`?ids=1&ids=2`), and
 * `ids[]=1&ids[]=2`, the form many HTTP clients (and balldontlie) use, means the same. Values
 * are never nested objects, and the result has no prototype, so `__proto__` is just a key.
 */
export function parsePluginQuery(text: string): Record<string, string | string[]> {
  const out = Object.create(null) as Record<string, string | string[]>;
  for (const [key, value] of Object.entries(parse(text))) {
    if (value === undefined) continue;
    const bracketed = key.endsWith("[]");
    const name = bracketed ? key.slice(0, -2) : key;
    const values = Array.isArray(value) ? value : [value];
    const existing = out[name];
    if (existing === undefined) {
      out[name] = bracketed || values.length > 1 ? values : (values[0] ?? "");
    } else {
      out[name] = [...(Array.isArray(existing) ? existing : [existing]), ...values];
    }
  }
  return out;
}
