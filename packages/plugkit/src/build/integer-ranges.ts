import type { Tsoa } from "@tsoa/runtime";

/** The range each integer format can hold (int64: what a JavaScript number holds exactly). */
export const INTEGER_RANGES = {
  integer: { format: "int32", minimum: -2147483648, maximum: 2147483647 },
  long: { format: "int64", minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER },
} as const;

interface Bounded {
  name?: string;
  type: Tsoa.Type;
  validators?: Tsoa.Validators;
}

/**
 * Writes each integer format's range into tsoa's metadata as `minimum`/`maximum`, where the code
 * sets no tighter bound, so the spec states it and the routes enforce it: a `format: int32`
 * field refuses 1e20 with a 400 instead of passing it on to the database.
 */
export function addIntegerRanges(metadata: Tsoa.Metadata): void {
  for (const controller of metadata.controllers) {
    for (const method of controller.methods) {
      for (const parameter of method.parameters) bound(parameter);
    }
  }
  for (const reference of Object.values(metadata.referenceTypeMap)) {
    if (reference.dataType === "refAlias") bound(reference);
    if (reference.dataType === "refObject") {
      for (const property of reference.properties) bound(property);
    }
  }
}

function bound(item: Bounded): void {
  const { type } = item;
  if (type.dataType === "integer" || type.dataType === "long") {
    const range = INTEGER_RANGES[type.dataType];
    const what = item.name === undefined ? "must" : `${item.name} must`;
    const validators = (item.validators ??= {});
    if (typeof validators.minimum?.value !== "number" || validators.minimum.value < range.minimum) {
      validators.minimum = {
        value: range.minimum,
        errorMsg: `${what} be at least ${range.minimum} (${range.format})`,
      };
    }
    if (typeof validators.maximum?.value !== "number" || validators.maximum.value > range.maximum) {
      validators.maximum = {
        value: range.maximum,
        errorMsg: `${what} be at most ${range.maximum} (${range.format})`,
      };
    }
  } else if (type.dataType === "nestedObjectLiteral") {
    for (const property of type.properties) bound(property);
  }
}
