import { readFileSync } from "node:fs";

/** One instruction of a Dockerfile. */
export interface Instruction {
  keyword: string;
  /** The rest of the line, continuation lines joined. */
  args: string;
}

/** A build stage: its name and instructions. */
export interface Stage {
  name: string;
  image: string;
  instructions: Instruction[];
}

/** Reads a Dockerfile into stages (comments dropped, `\` continuations joined). */
export function parseDockerfile(path: string): Stage[] {
  const lines = readFileSync(path, "utf8").split("\n");
  const logical: string[] = [];
  let current = "";
  for (const line of lines) {
    if (current === "" && /^\s*(#|$)/.test(line)) continue;
    if (line.endsWith("\\")) current += `${line.slice(0, -1)} `;
    else {
      logical.push(current + line);
      current = "";
    }
  }
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = "", args = ""] = /^\s*(\S+)\s*(.*)$/.exec(line) ?? [];
    if (keyword.toUpperCase() === "FROM") {
      const [image = "", , name] = args.split(/\s+/);
      stages.push({ name: name ?? String(stages.length), image, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword: keyword.toUpperCase(), args: args.trim() });
    }
  }
  return stages;
}

/** The words of an exec-form (`["a", "b"]`) or shell-form instruction. */
export function commandOf(args: string): string[] {
  return args.startsWith("[") ? (JSON.parse(args) as string[]) : ["sh", "-c", args];
}
