import { describe, expect, it } from "vitest";
import type { PluginManifestConfig } from "../../src/manifest/manifest-schema";
import { PLUGIN_HOSTNAME } from "../../src/manifest/public-origin-placeholder";
import {
  ManifestValidationError,
  findManifestProblems,
  findManifestWarnings,
  validateManifest,
} from "../../src/manifest/validate-manifest";
import { TEST_MANIFEST } from "../fixtures";

const valid: PluginManifestConfig = TEST_MANIFEST;

/** The config's fields in the order the platform documents the manifest's. */
const DOCUMENTED_ORDER = [
  "schema_version",
  "name_for_human",
  "name_for_model",
  "description_for_human",
  "description_for_model",
  "api",
  "logo_url",
  "contact_email",
  "legal_info_url",
];

/** The problems of `valid` with `changes` applied, as `field: message` lines. */
function problemsWith(changes: Record<string, unknown>): string[] {
  return findManifestProblems({ ...valid, ...changes }).map((p) => `${p.field}: ${p.message}`);
}

describe("a valid manifest config", () => {
  it("has no problems", () => {
    expect(findManifestProblems(valid)).toEqual([]);
  });

  it("is written with its fields in the documented order", () => {
    const shuffled = Object.fromEntries(
      Object.entries({ ...valid, auth: { instructions: "x" } }).reverse(),
    ) as unknown as PluginManifestConfig;
    expect(Object.keys(validateManifest(shuffled))).toEqual([
      ...DOCUMENTED_ORDER.slice(0, 5),
      "auth",
      ...DOCUMENTED_ORDER.slice(5),
    ]);
  });

  it("accepts absolute https URLs", () => {
    expect(problemsWith({ legal_info_url: "https://example.com/legal?x=1" })).toEqual([]);
    expect(problemsWith({ logo_url: "https://cdn.example.com/logo.png" })).toEqual([]);
  });

  it("keeps auth.instructions, the one auth field the author owns", () => {
    expect(problemsWith({ auth: { instructions: "Sign in with your plugkit account." } })).toEqual(
      [],
    );
    expect(validateManifest({ ...valid, auth: { instructions: "Sign in." } }).auth).toEqual({
      instructions: "Sign in.",
    });
    expect(validateManifest(valid).auth).toBeUndefined();
  });
});

describe("text limits", () => {
  it("names the field, the length and the limit for name_for_human over 20", () => {
    expect(problemsWith({ name_for_human: "TODO Plugin (no auth)" })).toEqual([
      'name_for_human: 21 characters, the limit is 20 ("TODO Plugin (no auth)")',
    ]);
  });

  it("counts characters, not UTF-16 units: 20 emoji fit name_for_human", () => {
    expect(problemsWith({ name_for_human: "✅".repeat(20) })).toEqual([]);
    expect(problemsWith({ name_for_human: "🧾".repeat(20) })).toEqual([]);
    expect(problemsWith({ name_for_human: "🧾".repeat(21) })[0]).toMatch(
      /^name_for_human: 21 characters/,
    );
  });

  it.each([
    ["name_for_model", 50],
    ["description_for_human", 100],
    ["description_for_model", 8000],
  ])("enforces %s at most %i characters", (field, limit) => {
    expect(problemsWith({ [field]: "a".repeat(limit) })).toEqual([]);
    expect(problemsWith({ [field]: "a".repeat(limit + 1) })[0]).toMatch(
      new RegExp(`^${field}: ${limit + 1} characters, the limit is ${limit}`),
    );
  });

  it("rejects empty and blank text", () => {
    expect(problemsWith({ name_for_human: "" })).toEqual(["name_for_human: must not be empty"]);
    expect(problemsWith({ description_for_model: "  " })).toEqual([
      "description_for_model: must not be empty",
    ]);
  });

  it("allows only letters, digits and underscores in name_for_model", () => {
    expect(problemsWith({ name_for_model: "todo_list2" })).toEqual([]);
    expect(problemsWith({ name_for_model: "todo-list" })).toEqual([
      'name_for_model: "todo-list" may contain only letters, digits and underscores',
    ]);
    expect(problemsWith({ name_for_model: "todo list" })).toHaveLength(1);
  });

  it("rejects a number where text belongs, naming the value", () => {
    expect(problemsWith({ name_for_human: 42 })).toEqual([
      "name_for_human: must be a string, got 42",
    ]);
  });
});

describe("fields", () => {
  it("reports every missing field at once", () => {
    const problems = findManifestProblems({});
    expect(problems.map((p) => p.field)).toEqual(DOCUMENTED_ORDER);
    expect(problems.find((p) => p.field === "api")?.message).toBe("is required");
  });

  it("rejects an unknown field", () => {
    expect(problemsWith({ has_user_authentication: true })).toEqual([
      "has_user_authentication: is not a manifest field; remove it",
    ]);
  });

  it("requires schema_version v1", () => {
    expect(problemsWith({ schema_version: "v2" })).toEqual([
      'schema_version: "v2" is not allowed, use one of: "v1"',
    ]);
  });

  it("rejects an invalid email", () => {
    expect(problemsWith({ contact_email: "support" })).toEqual([
      'contact_email: "support" is not an email address',
    ]);
  });

  it.each([
    ["a URL without a scheme", "example.com/logo.png"],
    ["an ftp URL", "ftp://example.com/logo.png"],
    ["a relative path", "/logo.png"],
    ["a misspelled placeholder", "PLUGIN_HOST/logo.png"],
  ])("rejects %s as logo_url", (_name, url) => {
    expect(problemsWith({ logo_url: url })).toEqual([
      `logo_url: ${JSON.stringify(url)} is not a URL: write an absolute https URL, or "PLUGIN_HOSTNAME/path" for a path on this plugin's origin`,
    ]);
  });

  it.each([
    ["logo_url", "http://localhost:3333/logo.png", "localhost", "PLUGIN_HOSTNAME/logo.png"],
    ["legal_info_url", "http://127.0.0.1:3333/legal", "127.0.0.1", "PLUGIN_HOSTNAME/legal"],
    ["logo_url", "https://192.168.1.20/logo.png", "192.168.1.20", "PLUGIN_HOSTNAME/logo.png"],
    ["legal_info_url", "http://[::1]/legal", "[::1]", "PLUGIN_HOSTNAME/legal"],
    [
      "logo_url",
      "http://plugin.localhost/logo.png",
      "plugin.localhost",
      "PLUGIN_HOSTNAME/logo.png",
    ],
  ])(
    "refuses a %s on this machine or a private network (%s), naming the fix",
    (field, url, host, fix) => {
      expect(problemsWith({ [field]: url })).toEqual([
        `${field}: ${JSON.stringify(url)} points at ${host}, which ChatGPT cannot reach once the plugin is deployed: write "${fix}" for a file this plugin serves, or a public https URL`,
      ]);
    },
  );

  it("warns about plain http URLs, which a deployed plugin should not use", () => {
    const config = { ...valid, legal_info_url: "http://example.com/legal" };
    expect(findManifestProblems(config)).toEqual([]);
    expect(findManifestWarnings(config).map((w) => `${w.field}: ${w.message}`)).toEqual([
      'legal_info_url: "http://example.com/legal" is plain http: use https, which ChatGPT expects of a deployed plugin',
    ]);
  });

  it("checks api's type and url", () => {
    expect(problemsWith({ api: { type: "swagger", url: "nope" } })).toEqual([
      'api.type: "swagger" is not allowed, use "openapi"',
      `api.url: "nope" is not a URL: write an absolute https URL, or "PLUGIN_HOSTNAME/path" for a path on this plugin's origin`,
    ]);
  });

  it("rejects a manifest that is not an object", () => {
    expect(findManifestProblems(null)[0]?.message).toBe("must be an object, got null");
    expect(findManifestProblems("x")[0]?.message).toBe('must be an object, got "x"');
  });
});

describe("the fields the server owns", () => {
  it("refuses auth.type and the auth type's fields: PLUGIN_AUTH sets them when serving", () => {
    const owned =
      "is set by the plugin server for the configured PLUGIN_AUTH; remove it from the manifest config";
    expect(problemsWith({ auth: { type: "none" } })).toEqual([`auth.type: ${owned}`]);
    expect(
      problemsWith({
        auth: {
          type: "service_http",
          authorization_type: "bearer",
          verification_tokens: { openai: "t" },
        },
      }),
    ).toEqual([
      `auth.type: ${owned}`,
      `auth.authorization_type: ${owned}`,
      `auth.verification_tokens: ${owned}`,
    ]);
  });

  it("refuses api.is_user_authenticated, which follows the auth type", () => {
    expect(
      problemsWith({
        api: {
          type: "openapi",
          url: `${PLUGIN_HOSTNAME}/openapi.yaml`,
          is_user_authenticated: true,
        },
      }),
    ).toEqual([
      "api.is_user_authenticated: is set by the plugin server for the configured PLUGIN_AUTH; remove it from the manifest config",
    ]);
  });

  it("rejects auth that is not an object and empty instructions", () => {
    expect(problemsWith({ auth: "none" })).toEqual([
      'auth: must be an object like { "instructions": "..." }',
    ]);
    expect(problemsWith({ auth: { instructions: " " } })).toEqual([
      "auth.instructions: must not be empty",
    ]);
  });
});

describe("validateManifest", () => {
  it("throws one error that lists every problem", () => {
    const broken = { ...valid, name_for_human: "x".repeat(25), contact_email: "nope" };
    expect(() => validateManifest(broken)).toThrow(ManifestValidationError);
    try {
      validateManifest(broken);
    } catch (error) {
      const e = error as ManifestValidationError;
      expect(e.problems).toHaveLength(2);
      expect(e.message).toContain("The plugin manifest has 2 problems:");
      expect(e.message).toContain("  - name_for_human: 25 characters, the limit is 20");
      expect(e.message).toContain('  - contact_email: "nope" is not an email address');
    }
  });
});
