import { describe, expect, it } from "vitest";
import {
  dateRangeConditions,
  inAny,
  placeholders,
  whereClause,
} from "../../src/stats/sql-conditions";

describe("dateRangeConditions", () => {
  it("bounds the column on both ends, inclusively", () => {
    expect(
      dateRangeConditions("g.date", { startDate: "2024-01-01", endDate: "2024-01-31" }),
    ).toEqual([
      { sql: "g.date >= ?", args: ["2024-01-01"] },
      { sql: "g.date <= ?", args: ["2024-01-31"] },
    ]);
  });

  it("adds nothing for an open end", () => {
    expect(dateRangeConditions("date", { startDate: "2024-01-01", endDate: undefined })).toEqual([
      { sql: "date >= ?", args: ["2024-01-01"] },
    ]);
    expect(dateRangeConditions("date", { startDate: undefined, endDate: "2024-01-31" })).toEqual([
      { sql: "date <= ?", args: ["2024-01-31"] },
    ]);
    expect(dateRangeConditions("date", { startDate: undefined, endDate: undefined })).toEqual([]);
  });
});

describe("inAny", () => {
  it("tests one column against a list with a placeholder per value", () => {
    expect(inAny(["season"], [2022, 2023])).toEqual([
      { sql: "season IN (?, ?)", args: [2022, 2023] },
    ]);
  });

  it("matches either of several columns, binding the list once per column", () => {
    expect(inAny(["home_team_id", "visitor_team_id"], [1, 2])).toEqual([
      {
        sql: "(home_team_id IN (?, ?) OR visitor_team_id IN (?, ?))",
        args: [1, 2, 1, 2],
      },
    ]);
  });

  it("adds no condition for an empty list, so it does not filter", () => {
    expect(inAny(["season"], [])).toEqual([]);
  });
});

describe("whereClause", () => {
  it("joins conditions with AND and their arguments in order", () => {
    expect(
      whereClause([
        ...inAny(["s.player_id"], [7]),
        ...dateRangeConditions("g.date", { startDate: "2024-01-01", endDate: "2024-01-31" }),
      ]),
    ).toEqual({
      sql: "WHERE s.player_id IN (?) AND g.date >= ? AND g.date <= ?",
      args: [7, "2024-01-01", "2024-01-31"],
    });
  });

  it("is empty without conditions", () => {
    expect(whereClause([])).toEqual({ sql: "", args: [] });
  });
});

describe("placeholders", () => {
  it("gives n comma-separated question marks", () => {
    expect([placeholders(1), placeholders(3)]).toEqual(["?", "?, ?, ?"]);
  });
});
