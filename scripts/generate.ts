// Generates generated/routes.ts, generated/openapi.yaml and generated/ai-plugin.json from the
// controllers and the manifest config. Run by `npm run build`; exits 1 with every problem listed.
import { relative } from "node:path";
import { PluginBuildError, generatePlugin } from "../src/sdk/build";
import { pluginManifest } from "../src/manifest/plugin-manifest";

async function main(): Promise<void> {
  const started = performance.now();
  const result = await generatePlugin({ manifest: pluginManifest, tsoaConfigPath: "tsoa.json" });
  for (const warning of result.warnings) {
    console.warn(`warning: spec ${warning.where}: ${warning.message}`);
  }
  for (const file of result.files) {
    console.log(
      `${file.changed ? "wrote    " : "unchanged"} ${relative(process.cwd(), file.path)}`,
    );
  }
  const { analyze, check, write } = result.timings;
  console.log(
    `generated in ${Math.round(performance.now() - started)} ms (tsoa ${analyze} ms, checks ${check} ms, write ${write} ms)`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof PluginBuildError) {
    console.error(`build failed: ${error.message}`);
  } else {
    console.error("build failed:", error);
  }
  process.exit(1);
});
