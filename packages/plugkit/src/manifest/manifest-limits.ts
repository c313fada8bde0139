/** The platform's limits on manifest text fields, in characters. */
export const MANIFEST_LIMITS = {
  name_for_human: 20,
  name_for_model: 50,
  description_for_human: 100,
  description_for_model: 8000,
} as const;

/** Length in characters (code points), the way the platform counts them. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
