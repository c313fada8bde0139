import type { StatsProvider } from "./stats/stats-provider";
import type { TodoStore } from "./store/todo-store";

/** What this plugin's controllers are constructed with (createApp in src/app.ts passes them to createPluginApp, which hands them to each controller's constructor). */
export interface AppServices {
  todos: TodoStore;
  stats: StatsProvider;
}
