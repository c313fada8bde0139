import { describe, expect, it } from "vitest";
import {
  ManifestValidationError,
  PLUGIN_HOSTNAME,
  findManifestProblems,
  validateManifest,
  type PluginManifest,
} from "../../../src/sdk/build";
import { pluginManifest } from "../../../src/manifest/plugin-manifest";

const valid: PluginManifest = {
  schema_version: "v1",
  name_for_human: "TODO List",
  name_for_model: "todo",
  description_for_human: "Manage your TODO list.",
  description_for_model: "Manage the user's TODO list.",
  auth: { type: "none" },
  api: { type: "openapi", url: `${PLUGIN_HOSTNAME}/openapi.yaml`, is_user_authenticated: false },
  logo_url: `${PLUGIN_HOSTNAME}/logo.png`,
  contact_email: "support@example.com",
  legal_info_url: "https://example.com/legal",
};

/** The manifest's fields in the order the platform documents them. */
const DOCUMENTED_ORDER = [
  "schema_version",
  "name_for_human",
  "name_for_model",
  "description_for_human",
  "description_for_model",
  "auth",
  "api",
  "logo_url",
  "contact_email",
  "legal_info_url",
];

/** The problems of `valid` with `changes` applied, as `field: message` lines. */
function problemsWith(changes: Record<string, unknown>): string[] {
  return findManifestProblems({ ...valid, ...changes }).map((p) => `${p.field}: ${p.message}`);
}

describe("a valid manifest", () => {
  it("has no problems, and neither has this plugin's", () => {
    expect(findManifestProblems(valid)).toEqual([]);
    expect(findManifestProblems(pluginManifest)).toEqual([]);
  });

  it("is returned with its fields in the documented order", () => {
    const shuffled = Object.fromEntries(
      Object.entries(valid).reverse(),
    ) as unknown as PluginManifest;
    expect(Object.keys(validateManifest(shuffled))).toEqual(DOCUMENTED_ORDER);
  });

  it("accepts localhost URLs and absolute https URLs", () => {
    expect(problemsWith({ logo_url: "http://localhost:3333/logo.png" })).toEqual([]);
    expect(problemsWith({ legal_info_url: "https://example.com/legal?x=1" })).toEqual([]);
  });

  it("accepts each of the four auth shapes", () => {
    const auths = [
      { type: "none" },
      {
        type: "service_http",
        authorization_type: "bearer",
        verification_tokens: { openai: "tok" },
      },
      { type: "user_http", authorization_type: "basic" },
      {
        type: "oauth",
        client_url: `${PLUGIN_HOSTNAME}/oauth/authorize`,
        scope: "",
        authorization_url: `${PLUGIN_HOSTNAME}/oauth/token`,
        authorization_content_type: "application/json",
        verification_tokens: { openai: "tok" },
        instructions: "Sign in with your plugkit account.",
      },
    ];
    for (const auth of auths) expect(problemsWith({ auth }), auth.type).toEqual([]);
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
    expect(problems.find((p) => p.field === "auth")?.message).toBe("is required");
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
      `logo_url: ${JSON.stringify(url)} is not a URL: write an absolute http(s) URL or "PLUGIN_HOSTNAME/path"`,
    ]);
  });

  it("checks api's type, url and is_user_authenticated", () => {
    expect(
      problemsWith({ api: { type: "swagger", url: "nope", is_user_authenticated: "no" } }),
    ).toEqual([
      'api.type: "swagger" is not allowed, use "openapi"',
      'api.url: "nope" is not a URL: write an absolute http(s) URL or "PLUGIN_HOSTNAME/path"',
      'api.is_user_authenticated: must be true or false, got "no"',
    ]);
  });

  it("rejects a manifest that is not an object", () => {
    expect(findManifestProblems(null)[0]?.message).toBe("must be an object, got null");
    expect(findManifestProblems("x")[0]?.message).toBe('must be an object, got "x"');
  });
});

describe("auth", () => {
  it("names an unknown auth type and lists the valid ones", () => {
    expect(problemsWith({ auth: { type: "oath" } })).toEqual([
      'auth.type: "oath" is not allowed, use one of: "none", "service_http", "user_http", "oauth"',
    ]);
  });

  it("rejects auth that is not an object", () => {
    expect(problemsWith({ auth: "none" })).toEqual([
      'auth: must be an object like { "type": "none" }',
    ]);
  });

  it("rejects fields that belong to another auth type", () => {
    expect(problemsWith({ auth: { type: "none", client_url: "https://x.example" } })).toEqual([
      "auth.client_url: is not a manifest field; remove it",
    ]);
  });

  it("requires service_http's authorization_type and verification token", () => {
    expect(problemsWith({ auth: { type: "service_http", authorization_type: "token" } })).toEqual([
      'auth.authorization_type: "token" is not allowed, use one of: "bearer", "basic"',
      "auth.verification_tokens: is required",
    ]);
    expect(
      problemsWith({
        auth: {
          type: "service_http",
          authorization_type: "bearer",
          verification_tokens: { openai: "" },
        },
      }),
    ).toEqual(["auth.verification_tokens.openai: must not be empty"]);
  });

  it("requires every oauth field, with valid URLs and content type", () => {
    expect(problemsWith({ auth: { type: "oauth" } })).toEqual([
      "auth.client_url: is required",
      "auth.scope: is required",
      "auth.authorization_url: is required",
      'auth.authorization_content_type: is required, use one of: "application/json", "application/x-www-form-urlencoded"',
      "auth.verification_tokens: is required",
    ]);
    expect(
      problemsWith({
        auth: {
          type: "oauth",
          client_url: "oauth",
          scope: "",
          authorization_url: `${PLUGIN_HOSTNAME}/oauth/token`,
          authorization_content_type: "text/plain",
          verification_tokens: { openai: "t" },
        },
      }),
    ).toEqual([
      'auth.client_url: "oauth" is not a URL: write an absolute http(s) URL or "PLUGIN_HOSTNAME/path"',
      'auth.authorization_content_type: "text/plain" is not allowed, use one of: "application/json", "application/x-www-form-urlencoded"',
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
