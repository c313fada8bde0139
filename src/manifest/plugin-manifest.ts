// Only the type comes from the build surface: the server imports this file and must not load
// class-validator.
import { PLUGIN_HOSTNAME } from "plugkit";
import type { PluginManifestConfig } from "plugkit/build";

const TODO_PART =
  "TODO: manage a TODO list per username: view the list, add a todo, delete a todo by its zero-based index " +
  "(get the list again before deleting if it may have changed). " +
  'If you do not know the user\'s username, ask them; otherwise use "global".';

const STATS_PART =
  "SPORTS STATS: basketball players, teams, games, per-game box scores and season averages. " +
  "Always display stats results using markdown tables. " +
  "Results are paged: when meta.next_cursor is not null, pass it as cursor to get the next page.";

/**
 * This plugin's manifest. `npm run build` validates it against the platform's rules and writes
 * generated/ai-plugin.json; when it is served, PLUGIN_HOSTNAME becomes the public origin and
 * the auth type configured by PLUGIN_AUTH fills in `auth` and `api.is_user_authenticated`. The
 * descriptions describe the default, embedded stats dataset, which is synthetic.
 */
export const pluginManifest: PluginManifestConfig = {
  schema_version: "v1",
  name_for_human: "TODO & Sport Stats",
  name_for_model: "todo_stats",
  description_for_human:
    "Manage your TODO list and look up basketball stats (synthetic sample data by default).",
  description_for_model:
    `Two tools in one plugin. ${TODO_PART} ${STATS_PART} ` +
    "The stats are SYNTHETIC sample data (fictional players and games on the real 30 NBA teams, 2023-24 season): " +
    "always tell the user they are not real NBA results.",
  api: { type: "openapi", url: `${PLUGIN_HOSTNAME}/openapi.yaml` },
  logo_url: `${PLUGIN_HOSTNAME}/logo.png`,
  contact_email: "support@example.com",
  legal_info_url: "https://example.com/legal",
};

/** The descriptions served instead when STATS_PROVIDER=balldontlie: the stats are real then. */
export const LIVE_STATS_DESCRIPTIONS = {
  forModel: `Two tools in one plugin. ${TODO_PART} ${STATS_PART} The stats are live NBA data from the balldontlie API.`,
  forHuman: "Manage your TODO list and look up NBA players, games and stats.",
};
