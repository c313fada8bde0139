import { describe, expect, it } from "vitest";
import { PLUGIN_HOSTNAME, fillPluginHostname } from "../../src/manifest/public-origin-placeholder";
import type { OpenApiDocument } from "../../src/spec/openapi-types";
import { prepareSpec } from "../../src/spec/prepare-spec";

const tsoaOutput: OpenApiDocument = {
  openapi: "3.0.0",
  info: { title: "T", version: "v1", description: "D", license: { name: "MIT" }, contact: {} },
  servers: [{ url: "https://localhost/" }],
  paths: {
    "/z": {
      get: { responses: {}, summary: "Z", operationId: "z", description: "Z", security: [] },
    },
    "/a": { post: { security: [], operationId: "a", summary: "A", description: "Adds." } },
  },
  components: {
    examples: {},
    headers: {},
    securitySchemes: {},
    schemas: {
      Zed: {
        type: "object",
        properties: { ref: { $ref: "#/components/schemas/Ay", description: "An Ay." } },
      },
      Ay: { type: "string" },
    },
  },
};

describe("prepareSpec", () => {
  const prepared = prepareSpec(tsoaOutput);

  it("points servers at the placeholder", () => {
    expect(prepared.servers).toEqual([{ url: PLUGIN_HOSTNAME }]);
  });

  it("keeps only title, version and description in info", () => {
    expect(prepared.info).toEqual({ title: "T", version: "v1", description: "D" });
  });

  it("sorts paths and schemas, and orders operation fields", () => {
    expect(Object.keys(prepared.paths)).toEqual(["/a", "/z"]);
    expect(Object.keys(prepared.components?.schemas ?? {})).toEqual(["Ay", "Zed"]);
    expect(Object.keys(prepared.paths["/z"]?.get ?? {})).toEqual([
      "operationId",
      "summary",
      "responses",
    ]);
  });

  it("drops a description that repeats the summary, empty security and empty sections", () => {
    expect(prepared.paths["/z"]?.get?.description).toBeUndefined();
    expect(prepared.paths["/a"]?.post?.description).toBe("Adds.");
    expect(prepared.paths["/a"]?.post).not.toHaveProperty("security");
    expect(Object.keys(prepared.components ?? {})).toEqual(["schemas"]);
  });

  it("wraps a $ref with siblings in allOf, as OpenAPI 3.0 requires", () => {
    expect(prepared.components?.schemas?.["Zed"]?.properties?.["ref"]).toEqual({
      allOf: [{ $ref: "#/components/schemas/Ay" }],
      description: "An Ay.",
    });
  });

  it("is idempotent and does not modify its input", () => {
    expect(prepareSpec(prepared)).toEqual(prepared);
    expect(tsoaOutput.servers).toEqual([{ url: "https://localhost/" }]);
  });
});

describe("fillPluginHostname", () => {
  it("replaces the placeholder at the start of strings only", () => {
    const filled = fillPluginHostname(
      {
        url: `${PLUGIN_HOSTNAME}/openapi.yaml`,
        bare: PLUGIN_HOSTNAME,
        text: `Mentions ${PLUGIN_HOSTNAME}/x`,
        list: [`${PLUGIN_HOSTNAME}/a`],
        n: 1,
      },
      "https://x.example",
    );
    expect(filled).toEqual({
      url: "https://x.example/openapi.yaml",
      bare: "https://x.example",
      text: `Mentions ${PLUGIN_HOSTNAME}/x`,
      list: ["https://x.example/a"],
      n: 1,
    });
  });

  it("leaves a longer word that starts with the placeholder alone", () => {
    expect(fillPluginHostname(`${PLUGIN_HOSTNAME}S`, "https://x")).toBe(`${PLUGIN_HOSTNAME}S`);
  });
});
