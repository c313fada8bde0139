import type { ValidationService } from "@tsoa/runtime";

/**
 * Makes tsoa's runtime validation agree with the OpenAPI spec it generates, where the two
 * disagree in tsoa 6.6.0:
 * - `minLength`/`maxLength` count code points, as JSON Schema does (tsoa counts UTF-16 units,
 *   so 300 emoji failed a `maxLength: 300`);
 * - a `format: date` value is a full date, `YYYY-MM-DD` (tsoa accepted any ISO 8601 date-time).
 *
 * tsoa creates `ValidationService` instances internally (for unions and intersections too), so
 * the rules are installed on its prototype, once, in the copy of `@tsoa/runtime` that plugkit's
 * route template imports. The integer formats' ranges are not enforced here: the build writes
 * them into the spec as `minimum`/`maximum`, which tsoa then enforces like any other bound.
 */
export function installValidationRules(validationService: typeof ValidationService): void {
  const proto = validationService.prototype as unknown as ValidationMethods & {
    [INSTALLED]?: true;
  };
  if (proto[INSTALLED] === true) return;
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(this) below
  const { validateString, validateDate } = proto;
  if (typeof validateString !== "function" || typeof validateDate !== "function") {
    throw new Error(
      "plugkit: @tsoa/runtime's ValidationService has no validateString/validateDate; install the @tsoa/runtime version plugkit pins",
    );
  }

  proto.validateString = function (name, value, fieldErrors, validators, parent = "") {
    if (typeof value !== "string" || validators === undefined) {
      return validateString.call(this, name, value, fieldErrors, validators, parent);
    }
    const { minLength, maxLength, ...rest } = validators;
    const length = codePoints(value);
    if (minLength?.value !== undefined && length < Number(minLength.value)) {
      fieldErrors[parent + name] = {
        message: minLength.errorMsg ?? `minLength ${Number(minLength.value)}`,
        value,
      };
      return undefined;
    }
    if (maxLength?.value !== undefined && length > Number(maxLength.value)) {
      fieldErrors[parent + name] = {
        message: maxLength.errorMsg ?? `maxLength ${Number(maxLength.value)}`,
        value,
      };
      return undefined;
    }
    return validateString.call(this, name, value, fieldErrors, rest, parent);
  };

  proto.validateDate = function (name, value, fieldErrors, isBodyParam, validators, parent = "") {
    if (typeof value === "string" && !FULL_DATE.test(value)) {
      fieldErrors[parent + name] = {
        message: validators?.isDate?.errorMsg ?? "must be a date in YYYY-MM-DD format",
        value,
      };
      return undefined;
    }
    return validateDate.call(this, name, value, fieldErrors, isBodyParam, validators, parent);
  };

  Object.defineProperty(proto, INSTALLED, { value: true });
}

const INSTALLED = Symbol.for("plugkit.validationRules");
const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;

function codePoints(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

type FieldErrors = Record<string, { message: string; value?: unknown }>;
type Validators = Record<string, { value?: unknown; errorMsg?: string } | undefined>;

interface ValidationMethods {
  validateString(
    this: unknown,
    name: string,
    value: unknown,
    fieldErrors: FieldErrors,
    validators?: Validators,
    parent?: string,
  ): unknown;
  validateDate(
    this: unknown,
    name: string,
    value: unknown,
    fieldErrors: FieldErrors,
    isBodyParam: boolean,
    validators?: Validators,
    parent?: string,
  ): unknown;
}
