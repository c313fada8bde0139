import { ConfigError } from "../errors";

/** The environment, or any map of variables read like it. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads variables from an environment and collects every problem instead of stopping at the
 * first, so a misconfigured server names all its bad variables at once. Each reader returns
 * the variable's value, or its default when unset or blank; an invalid value is recorded and
 * the default returned, and {@link ConfigReader.finish} throws one {@link ConfigError} listing
 * them all.
 *
 * @example
 * loadPluginConfig({ extend: (read) => ({ region: read.oneOf("REGION", ["eu", "us"], "eu") }) });
 */
export class ConfigReader {
  private readonly problems: string[] = [];

  constructor(readonly env: Env) {}

  /** The trimmed value, or undefined when unset or blank. */
  string(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value === undefined || value === "" ? undefined : value;
  }

  /** The value if it is one of `values`, else `fallback` (and a problem when set). */
  oneOf<const T extends string>(
    name: string,
    values: readonly T[],
    fallback: T,
    { ignoreCase = false }: { ignoreCase?: boolean } = {},
  ): T {
    const value = this.string(name);
    const raw = ignoreCase ? value?.toLowerCase() : value;
    if (raw === undefined) return fallback;
    if ((values as readonly string[]).includes(raw)) return raw as T;
    const choices =
      values.length <= 2
        ? values.join(" or ")
        : `one of ${values.slice(0, -1).join(", ")} or ${values.at(-1) ?? ""}`;
    return this.fail(`${name}: ${JSON.stringify(raw)} must be ${choices}`, fallback);
  }

  /** A whole number from `min` to `max`; `unit` is named in the message (" of seconds"). */
  wholeNumber(
    name: string,
    fallback: number,
    { min, max, unit = "" }: { min: number; max: number; unit?: string },
  ): number {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      return this.fail(
        `${name}: ${JSON.stringify(raw)} must be a whole number${unit} from ${min} to ${max}`,
        fallback,
      );
    }
    return value;
  }

  /** `true`/`1` or `false`/`0`, case-insensitive. */
  boolean(name: string, fallback: boolean): boolean {
    const raw = this.string(name)?.toLowerCase();
    if (raw === undefined) return fallback;
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    return this.fail(`${name}: ${JSON.stringify(raw)} must be true or false`, fallback);
  }

  /** An absolute http(s) URL. */
  httpUrl(name: string, fallback: string): string {
    const raw = this.string(name);
    if (raw === undefined) return fallback;
    if (!isHttpUrl(raw))
      return this.fail(`${name}: ${JSON.stringify(raw)} is not an http(s) URL`, fallback);
    return raw;
  }

  /** The non-empty, trimmed entries of a comma-separated value, or `fallback` when unset. */
  list(name: string, fallback: readonly string[]): string[] {
    const raw = this.string(name);
    if (raw === undefined) return [...fallback];
    return raw
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");
  }

  /**
   * Runs `parse` and records the {@link ConfigError} it throws, returning `fallback` then: the
   * way to add a check of one's own to the list.
   */
  attempt<T>(parse: () => T, fallback: T): T {
    try {
      return parse();
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return this.fail(error.message, fallback);
    }
  }

  /** Records a problem and returns `fallback`, so reading can go on. */
  fail<T>(message: string, fallback: T): T {
    this.problems.push(message);
    return fallback;
  }

  /** Throws one {@link ConfigError} listing every problem recorded, if there are any. */
  finish(): void {
    if (this.problems.length === 0) return;
    throw new ConfigError(
      `Invalid configuration:\n${this.problems.map((p) => `  - ${p}`).join("\n")}`,
    );
  }
}

/** True for an absolute http: or https: URL. */
export function isHttpUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
