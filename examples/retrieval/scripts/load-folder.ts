// Uploads every readable file under a folder to a running retrieval plugin (POST /upsert-file).
//   npm run load -- ./my-notes [--url http://localhost:3333] [--token <bearer token>]
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { FILE_TYPES } from "../src/files/extract-text";

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name.startsWith(".")) return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function main(): Promise<number> {
  const folder = process.argv[2];
  if (folder === undefined || folder.startsWith("--")) {
    console.error(
      "usage: npm run load -- <folder> [--url http://localhost:3333] [--token <token>]",
    );
    return 2;
  }
  const url = (argument("--url") ?? "http://localhost:3333").replace(/\/$/, "");
  const token = argument("--token") ?? process.env["RETRIEVAL_TOKEN"];
  const files = filesUnder(folder).filter((path) => extname(path).toLowerCase() in FILE_TYPES);
  if (files.length === 0) {
    console.error(`No ${Object.keys(FILE_TYPES).join(", ")} files under ${folder}.`);
    return 1;
  }
  let failed = 0;
  for (const path of files) {
    const name = relative(folder, path);
    const headers: Record<string, string> =
      token === undefined ? {} : { Authorization: `Bearer ${token}` };
    // Loading a file again replaces its document: the one from an earlier load goes first.
    const removed = await fetch(`${url}/delete`, {
      method: "DELETE",
      headers: { ...headers, "Content-Type": "application/json" },
      body: JSON.stringify({ filter: { source: "file", source_id: name } }),
    });
    if (!removed.ok) {
      failed += 1;
      console.error(`${name}: ${removed.status} ${await removed.text()}`);
      continue;
    }
    const form = new FormData();
    form.append("file", new Blob([readFileSync(path)]), name);
    form.append("metadata", JSON.stringify({ source: "file", source_id: name }));
    const res = await fetch(`${url}/upsert-file`, {
      method: "POST",
      body: form,
      headers,
    });
    const body = (await res.json()) as { ids?: string[]; message?: string };
    if (res.ok) {
      console.log(`${name}: stored as ${body.ids?.[0] ?? "?"}`);
    } else {
      failed += 1;
      console.error(`${name}: ${res.status} ${body.message ?? ""}`);
    }
  }
  console.log(`${files.length - failed} of ${files.length} files stored.`);
  return failed === 0 ? 0 : 1;
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
