// Only the type comes from the build surface: the server imports nothing from plugkit/build.
import { PLUGIN_HOSTNAME } from "plugkit";
import type { PluginManifestConfig } from "plugkit/build";

/**
 * The retrieval plugin's manifest (OpenAI's reference, `.well-known/ai-plugin.json`). The
 * description for the model is replaced when served by one that says which search is on.
 */
export const pluginManifest: PluginManifestConfig = {
  schema_version: "v1",
  name_for_human: "Retrieval Plugin",
  name_for_model: "retrieval",
  description_for_human: "Search through your documents.",
  description_for_model:
    "Search the user's documents (notes, emails, files) when they ask about their own information. Use upsert only when the user asks to save something, and delete only when asked.",
  api: { type: "openapi", url: `${PLUGIN_HOSTNAME}/openapi.yaml` },
  logo_url: `${PLUGIN_HOSTNAME}/logo.png`,
  contact_email: "hello@example.com",
  legal_info_url: "https://example.com/legal",
};
