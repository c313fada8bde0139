import type { Request as ExpressRequest } from "express";
import {
  Body,
  ConflictError,
  Controller,
  Delete,
  Extension,
  Get,
  NotFoundError,
  OperationId,
  Path,
  Post,
  Request,
  Response,
  Route,
  Security,
  SuccessResponse,
  X_IDEMPOTENT,
  X_OPENAI_IS_CONSEQUENTIAL,
  getPluginContext,
  type ErrorResponse,
} from "plugkit";
import type { AppServices } from "../services";
import type { TodoListRef } from "../store/todo-store";

// The schema names below are what the model reads; they match OpenAI's TODO plugin spec.
/* eslint-disable @typescript-eslint/naming-convention */

export interface getTodosResponse {
  /** The list of todos. */
  todos: string[];
}

export interface addTodoRequest {
  /**
   * The todo to add to the list.
   * @minLength 1 todo must not be empty
   * @maxLength 300 todo must be at most 300 characters
   * @pattern ^[^\x00-\x1F\x7F]*[^\s\x00-\x1F\x7F][^\x00-\x1F\x7F]*$ todo must be one line of text, not blank
   */
  todo: string;
}

export interface deleteTodoRequest {
  /**
   * The index of the todo to delete.
   * @isInt todo_idx must be an integer
   * @minimum 0 todo_idx must be 0 or more
   */
  todo_idx: number;
}

/* eslint-enable @typescript-eslint/naming-convention */

/**
 * The user's list: `username`'s list, inside the caller's account when the plugin's auth signs
 * callers in (so no account can reach another's lists, whatever username it sends), or shared
 * by everyone otherwise.
 */
function listOf(req: ExpressRequest, username: string): TodoListRef {
  const { caller } = getPluginContext(req);
  return { accountId: caller.kind === "account" ? caller.account.id : null, username };
}

/**
 * One TODO list per username. A todo's index is its zero-based position in the list that
 * getTodos returns.
 */
@Route("todos")
@Security("plugin")
@Response<ErrorResponse>(400, "Invalid input; the message names each invalid field")
export class TodosController extends Controller {
  constructor(private readonly services: AppServices) {
    super();
  }

  /**
   * A user with no todos has an empty list. The position of a todo in the list is its todo_idx.
   * @summary Get the list of todos
   * @param username The name of the user.
   * @minLength username 1 username must not be empty
   * @maxLength username 100 username must be at most 100 characters
   */
  @Get("{username}")
  @OperationId("getTodos")
  @SuccessResponse(200, "OK")
  public async getTodos(
    @Path() username: string,
    @Request() req: ExpressRequest,
  ): Promise<getTodosResponse> {
    return { todos: await this.services.todos.list(listOf(req, username)) };
  }

  /**
   * Appends the todo to the end of the user's list. A list holds at most 100 todos.
   * @summary Add a todo to the list
   * @param username The name of the user.
   * @minLength username 1 username must not be empty
   * @maxLength username 100 username must be at most 100 characters
   */
  @Post("{username}")
  @OperationId("addTodo")
  @Extension(X_OPENAI_IS_CONSEQUENTIAL, false)
  @SuccessResponse(200, "OK")
  @Response<ErrorResponse>(409, "The list is full; delete a todo first")
  public async addTodo(
    @Path() username: string,
    @Body() body: addTodoRequest,
    @Request() req: ExpressRequest,
  ): Promise<void> {
    const result = await this.services.todos.add(listOf(req, username), body.todo.trim());
    if (!result.added) {
      throw new ConflictError(
        `The todo list of "${username}" is full (${result.count} todos); delete a todo before adding another.`,
        { code: "todo_list_full" },
      );
    }
  }

  /**
   * Deletes the todo at todo_idx, its zero-based position in the list from getTodos. Fails with 404 when there is no todo at that index.
   * @summary Delete a todo from the list
   * @param username The name of the user.
   * @minLength username 1 username must not be empty
   * @maxLength username 100 username must be at most 100 characters
   */
  @Delete("{username}")
  @OperationId("deleteTodo")
  @Extension(X_OPENAI_IS_CONSEQUENTIAL, true)
  // Deleting index 0 twice deletes two todos: not idempotent, whatever DELETE usually means.
  @Extension(X_IDEMPOTENT, false)
  @SuccessResponse(200, "OK")
  @Response<ErrorResponse>(404, "There is no todo at that index")
  public async deleteTodo(
    @Path() username: string,
    @Body() body: deleteTodoRequest,
    @Request() req: ExpressRequest,
  ): Promise<void> {
    const result = await this.services.todos.remove(listOf(req, username), body.todo_idx);
    if (!result.removed) {
      const range =
        result.count === 0
          ? "the list is empty"
          : result.count === 1
            ? "the only index is 0"
            : `valid indexes are 0 to ${result.count - 1}`;
      throw new NotFoundError(
        `"${username}" has no todo at index ${body.todo_idx}: ${range}. Get the list again for the current indexes.`,
        { code: "todo_not_found" },
      );
    }
  }
}
