import type { DateRange } from "./stats-provider";

/** A value bound to a placeholder. */
export type SqlValue = string | number;

/** One condition of a WHERE clause, with the values its placeholders take. */
export interface SqlCondition {
  sql: string;
  args: SqlValue[];
}

/** `n` comma-separated placeholders. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => "?").join(", ");
}

/** Keeps rows where any of `columns` is one of `values`; no condition for an empty list. */
export function inAny(columns: readonly string[], values: readonly number[]): SqlCondition[] {
  if (values.length === 0) return [];
  const list = placeholders(values.length);
  const tests = columns.map((column) => `${column} IN (${list})`);
  return [
    {
      sql: tests.length === 1 ? (tests[0] ?? "") : `(${tests.join(" OR ")})`,
      args: columns.flatMap(() => values),
    },
  ];
}

/** Keeps rows whose YYYY-MM-DD `column` lies within the inclusive range; open ends add nothing. */
export function dateRangeConditions(column: string, range: DateRange): SqlCondition[] {
  return [
    ...(range.startDate === undefined ? [] : [{ sql: `${column} >= ?`, args: [range.startDate] }]),
    ...(range.endDate === undefined ? [] : [{ sql: `${column} <= ?`, args: [range.endDate] }]),
  ];
}

/** Joins conditions with AND into a WHERE clause; an empty string when there are none. */
export function whereClause(conditions: readonly SqlCondition[]): SqlCondition {
  return {
    sql: conditions.length === 0 ? "" : `WHERE ${conditions.map((c) => c.sql).join(" AND ")}`,
    args: conditions.flatMap((c) => c.args),
  };
}
