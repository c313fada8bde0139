import { ValidationService } from "@tsoa/runtime";
import { describe, expect, it } from "vitest";
import "../../src/tsoa";

type Errors = Record<string, { message: string }>;
const service = new ValidationService(
  {},
  {
    noImplicitAdditionalProperties: "throw-on-extras",
    bodyCoercion: false,
  },
);

function check(property: Parameters<ValidationService["ValidateParam"]>[0], value: unknown) {
  const errors: Errors = {};
  const result = service.ValidateParam(property, value, "field", errors, true, "body.");
  return { result, errors: Object.values(errors).map((e) => e.message) };
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
