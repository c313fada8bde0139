import type { StatsProvider } from "./stats/stats-provider";
import type { TodoStore } from "./store/todo-store";

/** What this plugin's controllers are constructed with (see src/ioc.ts). */
export interface AppServices {
  todos: TodoStore;
  stats: StatsProvider;
}
