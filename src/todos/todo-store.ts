/** Limits that keep every list readable by the model and every response far below 100,000 characters. */
export const TODO_LIMITS = {
  /** Longest todo, in characters. */
  maxLength: 300,
  /** Most todos one user can have. */
  maxTodosPerUser: 100,
} as const;

/** The result of {@link TodoStore.add}. */
export type AddResult = { added: true; index: number } | { added: false; count: number };

/** The result of {@link TodoStore.remove}. */
export type RemoveResult = { removed: true; todo: string } | { removed: false; count: number };

/**
 * Where todos live. Lists are per username, ordered oldest first; a todo's position in that
 * order is its index. Implementations must be safe under concurrent calls, including from
 * several server processes sharing one database.
 */
export interface TodoStore {
  /** The user's todos, oldest first; an empty list for a user who has none. */
  list(username: string): Promise<string[]>;
  /** Appends a todo, unless the user already has the maximum number of todos. */
  add(username: string, todo: string): Promise<AddResult>;
  /** Removes the todo at a zero-based index, if there is one. */
  remove(username: string, index: number): Promise<RemoveResult>;
  /** Releases the connection. */
  close(): Promise<void>;
}
