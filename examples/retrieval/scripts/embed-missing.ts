// Embeds the chunks stored before OPENAI_API_KEY was set (keyword search only until then).
//   OPENAI_API_KEY=sk-... npm run embed
import { createLogger, openPluginDatabase } from "plugkit";
import { loadConfig } from "../src/config";
import { MIGRATIONS, createServices } from "../src/services";

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.embeddings === undefined) {
    console.error("Set OPENAI_API_KEY: there is nothing to embed with.");
    return 2;
  }
  const database = openPluginDatabase(config.database, {
    migrations: MIGRATIONS,
    logger: createLogger({ level: "warn" }),
  });
  try {
    const done = await createServices(database, config).retrieval.embedMissing();
    console.log(`${done} chunks embedded.`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
