import { PLUGIN_HOSTNAME, type PluginManifest } from "../sdk/build";

/**
 * This plugin's manifest. `npm run build` validates it against the platform's rules and writes
 * generated/ai-plugin.json; PLUGIN_HOSTNAME becomes the public origin when it is served.
 */
export const pluginManifest: PluginManifest = {
  schema_version: "v1",
  name_for_human: "TODO List",
  name_for_model: "todo",
  description_for_human: "Manage your TODO list: add, remove and view your TODOs.",
  description_for_model:
    "Plugin for managing a TODO list per username: view the list, add a todo, delete a todo by its index. " +
    'If you do not know the user\'s username, ask them; otherwise use "global". ' +
    "Indexes are zero-based positions in the latest list; get the list again before deleting if it may have changed.",
  auth: { type: "none" },
  api: {
    type: "openapi",
    url: `${PLUGIN_HOSTNAME}/openapi.yaml`,
    is_user_authenticated: false,
  },
  logo_url: `${PLUGIN_HOSTNAME}/logo.png`,
  contact_email: "support@example.com",
  legal_info_url: "https://example.com/legal",
};
