import request, { type Response } from "supertest";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SpecValidator } from "../helpers/spec-validator";
import { createTestApp, type TestApp } from "../helpers/test-app";

let testApp: TestApp;
let validator: SpecValidator;

/**
 * Calls the API over HTTP and checks that the response is one the served spec describes, so
 * every response in this file is validated against /openapi.yaml.
 */
async function call(
  method: "get" | "post" | "delete",
  path: string,
  body?: unknown,
): Promise<Response> {
  let req = request(testApp.app)[method](path);
  if (body !== undefined)
    req = req.set("Content-Type", "application/json").send(JSON.stringify(body));
  const res = await req;
  validator.expectConforms(res, method, path);
  return res;
}

const todos = async (username = "global"): Promise<string[]> =>
  ((await call("get", `/todos/${username}`)).body as { todos: string[] }).todos;

beforeAll(async () => {
  const specApp = createTestApp();
  const spec = await request(specApp.app).get("/openapi.yaml");
  await specApp.dispose();
  validator = await SpecValidator.fromYaml(spec.text);
});

beforeEach(() => {
  testApp = createTestApp();
});

afterEach(async () => {
  expect(testApp.errors(), "no request should cause a server error").toEqual([]);
  await testApp.dispose();
});

describe("getTodos", () => {
  it("returns an empty list for a user who has never added a todo", async () => {
    const res = await call("get", "/todos/nobody");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.body).toEqual({ todos: [] });
  });

  it("returns todos in the order they were added, per user", async () => {
    await call("post", "/todos/alice", { todo: "first" });
    await call("post", "/todos/bob", { todo: "bob's" });
    await call("post", "/todos/alice", { todo: "second" });
    expect(await todos("alice")).toEqual(["first", "second"]);
    expect(await todos("bob")).toEqual(["bob's"]);
  });

  it("treats a percent-encoded username as that username", async () => {
    await call("post", "/todos/J%C3%BCrgen%20M", { todo: "x" });
    expect(await todos("J%C3%BCrgen%20M")).toEqual(["x"]);
  });

  it("rejects a username over 100 characters with 400 naming it", async () => {
    const res = await call("get", `/todos/${"u".repeat(101)}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("validation_failed");
    expect(res.body.fields).toHaveProperty("username");
    expect(res.body.message).toContain("username must be at most 100 characters");
  });
});

describe("addTodo", () => {
  it("adds a todo and answers 200 with an empty body, as the spec says", async () => {
    const res = await call("post", "/todos/global", { todo: "buy milk" });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    expect(await todos()).toEqual(["buy milk"]);
  });

  it("trims surrounding whitespace and keeps inner text exactly, unicode included", async () => {
    await call("post", "/todos/global", { todo: "  café ☕ — 🧑‍💻 “quotes” \\ back  " });
    expect(await todos()).toEqual(["café ☕ — 🧑‍💻 “quotes” \\ back"]);
  });

  it("accepts a todo of exactly 300 characters", async () => {
    const res = await call("post", "/todos/global", { todo: "x".repeat(300) });
    expect(res.status).toBe(200);
  });

  it("counts the 300 characters in code points, as the spec's maxLength does: 300 emoji fit, 301 do not", async () => {
    expect((await call("post", "/todos/global", { todo: "🧾".repeat(300) })).status).toBe(200);
    const over = await call("post", "/todos/global", { todo: "🧾".repeat(301) });
    expect(over.status).toBe(400);
    expect(over.body.message).toContain("todo must be at most 300 characters");
    expect(await todos()).toEqual(["🧾".repeat(300)]);
  });

  it.each([
    ["an empty todo", { todo: "" }, "body.todo", "todo must not be empty"],
    ["a blank todo", { todo: "   " }, "body.todo", "todo must be one line of text, not blank"],
    [
      "a todo over 300 characters",
      { todo: "x".repeat(301) },
      "body.todo",
      "todo must be at most 300 characters",
    ],
    [
      "a todo with a newline",
      { todo: "a\nb" },
      "body.todo",
      "todo must be one line of text, not blank",
    ],
    ["a todo that is not a string", { todo: 42 }, "body.todo", "invalid string value"],
    ["a missing todo", {}, "body.todo", "'todo' is required"],
    ["an unknown field", { todo: "x", priority: 1 }, "body.priority", "excess property"],
  ])("rejects %s with 400 naming the field", async (_name, body, field, message) => {
    const res = await call("post", "/todos/global", body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("validation_failed");
    expect(Object.keys(res.body.fields as object)).toContain(field);
    expect(res.body.message).toContain(field);
    expect(res.body.message).toContain(message);
    expect(await todos()).toEqual([]);
  });

  it("rejects a body that is a JSON array or null", async () => {
    for (const body of [["x"], null]) {
      const res = await call("post", "/todos/global", body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/validation_failed|invalid_json/);
    }
  });

  it("refuses the 101st todo with 409 and keeps the first 100", async () => {
    for (let i = 0; i < 100; i++) {
      expect(
        (
          await request(testApp.app)
            .post("/todos/full")
            .send({ todo: `t${i}` })
        ).status,
      ).toBe(200);
    }
    const res = await call("post", "/todos/full", { todo: "one too many" });
    expect(res.status).toBe(409);
    expect(res.body.error).toBe("todo_list_full");
    expect(res.body.message).toContain("delete a todo");
    const list = await todos("full");
    expect(list).toHaveLength(100);
    expect(list[99]).toBe("t99");
  });

  it("loses no todo when 50 are added concurrently", async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call("post", "/todos/busy", { todo: `todo ${i}` })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const list = await todos("busy");
    expect(list).toHaveLength(50);
    expect(new Set(list).size).toBe(50);
  });
});

describe("deleteTodo", () => {
  beforeEach(async () => {
    for (const todo of ["a", "b", "c"]) await call("post", "/todos/global", { todo });
  });

  it("deletes the todo at a zero-based index and shifts the rest up", async () => {
    const res = await call("delete", "/todos/global", { todo_idx: 1 });
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    expect(await todos()).toEqual(["a", "c"]);
    await call("delete", "/todos/global", { todo_idx: 0 });
    expect(await todos()).toEqual(["c"]);
  });

  it("answers 404 with the valid range for an index past the end, and deletes nothing", async () => {
    const res = await call("delete", "/todos/global", { todo_idx: 3 });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      error: "todo_not_found",
      message:
        '"global" has no todo at index 3: valid indexes are 0 to 2. Get the list again for the current indexes.',
    });
    expect(await todos()).toEqual(["a", "b", "c"]);
  });

  it("answers 404 for a user who has no todos", async () => {
    const res = await call("delete", "/todos/nobody", { todo_idx: 0 });
    expect(res.status).toBe(404);
    expect(res.body.message).toContain("the list is empty");
  });

  it.each([
    ["a negative index", { todo_idx: -1 }, "todo_idx must be 0 or more"],
    ["a fractional index", { todo_idx: 1.5 }, "todo_idx must be an integer"],
    ["an index sent as a string", { todo_idx: "0" }, "todo_idx must be an integer"],
    // The spec says int32; 1e20 used to reach SQLite and answer 500.
    ["an index beyond int32", { todo_idx: 1e20 }, "todo_idx must be at most 2147483647 (int32)"],
    [
      "the first index beyond int32",
      { todo_idx: 2147483648 },
      "todo_idx must be at most 2147483647",
    ],
    // tsoa reports a missing field with the field's own type message.
    ["a missing index", {}, "todo_idx must be an integer"],
  ])("rejects %s with 400 naming todo_idx", async (_name, body, message) => {
    const res = await call("delete", "/todos/global", body);
    expect(res.status).toBe(400);
    expect(res.body.fields).toHaveProperty(["body.todo_idx"]);
    expect(res.body.message).toContain(message);
    expect(await todos()).toEqual(["a", "b", "c"]);
  });

  it("rejects a DELETE without a body with 400", async () => {
    const res = await call("delete", "/todos/global");
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("validation_failed");
    expect(await todos()).toEqual(["a", "b", "c"]);
  });
});
