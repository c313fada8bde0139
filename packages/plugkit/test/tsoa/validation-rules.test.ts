import type { Request, Response } from "express";
import type { TsoaRoute } from "@tsoa/runtime";
import { describe, expect, it } from "vitest";
import { ExpressTemplateService } from "../../src/tsoa";

// The generated routes' template service, as plugkit/tsoa gives it to them: tsoa's runtime is
// loaded, with plugkit's rules installed, on its first use.
const templates = new ExpressTemplateService(
  {},
  { noImplicitAdditionalProperties: "throw-on-extras", bodyCoercion: false },
);

/** Validates `value` as the body property `field`, as a generated route does. */
function check(property: Omit<TsoaRoute.ParameterSchema, "in" | "name">, value: unknown) {
  try {
    const [result] = templates.getValidatedArgs({
      args: { field: { ...property, in: "body-prop", name: "field" } },
      request: { body: { field: value } } as unknown as Request,
      response: {} as Response,
    });
    return { result, errors: [] as string[] };
  } catch (error) {
    const fields = (error as { fields?: Record<string, { message: string }> }).fields;
    if (fields === undefined) throw error;
    return { result: undefined, errors: Object.values(fields).map((e) => e.message) };
  }
}

describe("plugkit's validation rules on tsoa's runtime", () => {
  const text = {
    dataType: "string" as const,
    required: true,
    validators: { maxLength: { value: 3 }, minLength: { value: 2, errorMsg: "too short" } },
  };

  it("counts string lengths in code points, as JSON Schema does", () => {
    expect(check(text, "🧾🧾🧾").errors).toEqual([]);
    expect(check(text, "🧾🧾🧾🧾").errors).toEqual(["maxLength 3"]);
    expect(check(text, "🧾").errors).toEqual(["too short"]);
    expect(check(text, "abc").result).toBe("abc");
  });

  it("keeps tsoa's other string checks (type, pattern)", () => {
    const patterned = {
      dataType: "string" as const,
      required: true,
      validators: { maxLength: { value: 5 }, pattern: { value: "^a" } },
    };
    expect(check(patterned, 5).errors).toEqual(["invalid string value"]);
    expect(check(patterned, "ba").errors).toEqual(["Not match in '^a'"]);
  });

  it("accepts only a full YYYY-MM-DD calendar date for format: date", () => {
    const date = {
      dataType: "date" as const,
      required: true,
      validators: { isDate: { errorMsg: "day must be a date" } },
    };
    expect(check(date, "2024-02-29").result).toEqual(new Date("2024-02-29"));
    expect(check(date, "2024-02-29T10:00:00Z").errors).toEqual(["day must be a date"]);
    expect(check(date, "2023-02-29").errors).toEqual(["day must be a date"]);
    expect(check(date, "20240101").errors).toEqual(["day must be a date"]);
  });
});
