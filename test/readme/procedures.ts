/** One step of a README procedure, marked `<!-- readme-test: <action> <file> [<class>] -->`. */
export interface Procedure {
  action: "new-file" | "add-method" | "add-declaration" | "patch";
  file: string;
  className: string | undefined;
  code: string;
}

const MARK =
  /<!-- readme-test: (new-file|add-method|add-declaration|patch) (\S+)(?: (\S+))? -->\s*```\w*\n([\s\S]*?)\n\s*```/g;

/** The marked steps of a README, in order, with their code blocks (unindented). */
export function readProcedures(readme: string): Procedure[] {
  return [...readme.matchAll(MARK)].map((match) => ({
    action: match[1] as Procedure["action"],
    file: match[2] ?? "",
    className: match[3],
    code: unindent(match[4] ?? ""),
  }));
}

function unindent(block: string): string {
  const lines = block.split("\n");
  const indent = Math.min(
    ...lines.filter((l) => l.trim() !== "").map((l) => /^ */.exec(l)?.[0].length ?? 0),
  );
  return lines.map((l) => l.slice(indent)).join("\n");
}

/** The file's content after the step, done as a developer would do it by hand. */
export function applyProcedure(step: Procedure, content: string): string {
  switch (step.action) {
    case "new-file":
      return `${step.code}\n`;
    case "add-method":
      return addMethod(content, step.className ?? "", step.code);
    case "add-declaration":
      return addDeclaration(content, step.code);
    case "patch":
      return patch(content, step.code);
  }
}

/** Inserts a method at the end of a class body, indented one level. */
function addMethod(content: string, className: string, method: string): string {
  const lines = content.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`export class ${className} `));
  if (start === -1) throw new Error(`no class ${className}`);
  const end = lines.findIndex((l, i) => i > start && l === "}");
  const body = method.split("\n").map((l) => (l === "" ? l : `  ${l}`));
  lines.splice(end, 0, "", ...body);
  return lines.join("\n");
}

/** Inserts a declaration after the file's last top-level interface. */
function addDeclaration(content: string, declaration: string): string {
  const lines = content.split("\n");
  const last = lines.findLastIndex((l) => l.startsWith("export interface "));
  if (last === -1) throw new Error("no interface to put the declaration beside");
  const end = lines.findIndex((l, i) => i > last && l === "}");
  lines.splice(end + 1, 0, "", ...declaration.split("\n"));
  return lines.join("\n");
}

/**
 * Applies a diff without line numbers: context lines (" ") are found in order, "-" lines are
 * removed where they stand and "+" lines inserted there.
 */
function patch(content: string, diff: string): string {
  const lines = content.split("\n");
  let at = 0;
  for (const line of diff.split("\n")) {
    const text = line.slice(1);
    const find = (): number => {
      const index = lines.findIndex((l, i) => i >= at && l === text);
      if (index === -1) throw new Error(`patch: ${JSON.stringify(text)} not found`);
      return index;
    };
    if (line.startsWith("+")) {
      lines.splice(at, 0, text);
      at += 1;
    } else if (line.startsWith("-")) {
      at = find();
      lines.splice(at, 1);
    } else {
      at = find() + 1;
    }
  }
  return lines.join("\n");
}
