// Records when dist/ was built (see ensure-built.mjs).
import { mkdirSync, writeFileSync } from "node:fs";
mkdirSync("dist", { recursive: true });
writeFileSync("dist/.build-stamp", `${new Date().toISOString()}\n`);
