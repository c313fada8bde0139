import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TSOA_VERSION, tsoaVersionProblem } from "../../src/build/toolchain";

/** tsoa's own express template at the pinned version, which plugkit's template is derived from. */
const TSOA_TEMPLATE_SHA256 = "92ab0133115d0a955ae87a1077d4f519c283c3a29257941312ed04483099c7d2";

describe("the pinned tsoa", () => {
  it("is the version installed", () => {
    const installed = (
      JSON.parse(readFileSync(require.resolve("@tsoa/cli/package.json"), "utf8")) as {
        version: string;
      }
    ).version;
    expect(tsoaVersionProblem(installed)).toBeUndefined();
  });

  it("refuses another tsoa with a message that says what to install", () => {
    expect(tsoaVersionProblem("6.7.0")).toBe(
      `plugkit builds with @tsoa/cli ${TSOA_VERSION} (its route template follows that version's), but 6.7.0 is installed: run \`npm install --save-dev --save-exact @tsoa/cli@${TSOA_VERSION}\``,
    );
  });

  it("still ships the express template plugkit's route template was derived from", () => {
    const template = readFileSync(
      require.resolve("@tsoa/cli/dist/routeGeneration/templates/express.hbs"),
    );
    const hash = createHash("sha256").update(template).digest("hex");
    expect(
      hash,
      "tsoa's express template changed: compare it with packages/plugkit/templates/routes/express.hbs, carry the changes over, then record the new hash here",
    ).toBe(TSOA_TEMPLATE_SHA256);
  });
});
