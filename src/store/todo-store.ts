/**
 * Keeps every list readable by the model and every response far below 100,000 characters,
 * together with the 300-character limit on a todo (in the controller's schema).
 */
export const TODO_LIMITS = {
  /** Most todos one list can hold. */
  maxTodosPerList: 100,
} as const;

/**
 * Which list: a username's list, either shared by everyone who is not signed in
 * (`accountId: null`) or inside one account. Lists of different accounts never meet.
 */
export interface TodoListRef {
  accountId: number | null;
  username: string;
}

/** The result of {@link TodoStore.add}. */
export type AddResult = { added: true; index: number } | { added: false; count: number };

/** The result of {@link TodoStore.remove}. */
export type RemoveResult = { removed: true; todo: string } | { removed: false; count: number };

/**
 * Where todos live, ordered oldest first; a todo's position in that order is its index.
 * Implementations must be safe under concurrent calls, including from several server processes
 * sharing one database.
 */
export interface TodoStore {
  /** The list's todos, oldest first; an empty list when it has none. */
  list(list: TodoListRef): Promise<string[]>;
  /** Appends a todo, unless the list is full. */
  add(list: TodoListRef, todo: string): Promise<AddResult>;
  /** Removes the todo at a zero-based index, if there is one. */
  remove(list: TodoListRef, index: number): Promise<RemoveResult>;
}
