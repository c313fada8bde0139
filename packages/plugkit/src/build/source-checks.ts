import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type * as TypeScript from "typescript";
import { loadTypeScript } from "./toolchain";

/** The decorators tsoa 6.6 reads, by the names it looks for. */
export const TSOA_DECORATORS: ReadonlySet<string> = new Set([
  "Body",
  "BodyProp",
  "Consumes",
  "Delete",
  "Deprecated",
  "Example",
  "Extension",
  "FormField",
  "Get",
  "Head",
  "Header",
  "Hidden",
  "Inject",
  "Middlewares",
  "NoSecurity",
  "OperationId",
  "Options",
  "Patch",
  "Path",
  "Post",
  "Produces",
  "Put",
  "Queries",
  "Query",
  "Request",
  "RequestProp",
  "Res",
  "Response",
  "Route",
  "Security",
  "SuccessResponse",
  "Tags",
  "UploadedFile",
  "UploadedFiles",
]);

const HTTP_METHOD_DECORATORS = new Set([
  "Get",
  "Post",
  "Put",
  "Patch",
  "Delete",
  "Head",
  "Options",
]);
/** Modules controllers get tsoa's decorators from. */
const DECORATOR_MODULES = new Set(["plugkit", "@tsoa/runtime", "tsoa"]);

/** What the source checks found: errors stop the build, warnings are printed. */
export interface SourceFindings {
  errors: string[];
  warnings: string[];
}

/**
 * Finds what tsoa would silently leave out of the spec and the routes, because it finds
 * decorators by their literal names: a controller in a file its globs do not match, a tsoa
 * decorator imported under another name or through a namespace, and a decorated controller
 * method without an HTTP method decorator tsoa recognises (a wrapper decorator, for example).
 *
 * @param root the project directory; messages name files relative to it
 * @param scanDirs directories to look for controllers in (recursively)
 * @param matched the controller files tsoa read
 */
export function checkControllerSources(
  root: string,
  scanDirs: readonly string[],
  matched: ReadonlySet<string>,
  globs: readonly string[],
): SourceFindings {
  const ts = loadTypeScript();
  const findings: SourceFindings = { errors: [], warnings: [] };
  const files = new Set<string>([...matched]);
  for (const dir of scanDirs) for (const file of typeScriptFiles(dir)) files.add(file);

  for (const file of [...files].sort()) {
    const text = readFileSync(file, "utf8");
    if (!matched.has(file) && !text.includes("@Route")) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const name = relative(root, file);
    const at = (node: TypeScript.Node): string =>
      `${name}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
    const controllers = source.statements.filter(
      (s): s is TypeScript.ClassDeclaration =>
        ts.isClassDeclaration(s) && decoratorNames(ts, s).includes("Route"),
    );

    if (!matched.has(file)) {
      for (const controller of controllers) {
        findings.errors.push(
          `${at(controller)}: ${controller.name?.text ?? "a class"} has @Route, but tsoa.json's controllerPathGlobs (${globs.map((g) => relative(root, g)).join(", ")}) do not match this file, so none of its operations would be served: rename the file to match (for example ${suggestName(name)}) or add it to controllerPathGlobs`,
        );
      }
      continue;
    }

    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier))
        continue;
      const from = statement.moduleSpecifier.text;
      if (!DECORATOR_MODULES.has(from)) continue;
      const bindings = statement.importClause?.namedBindings;
      if (bindings === undefined) continue;
      if (ts.isNamespaceImport(bindings)) {
        findings.errors.push(
          `${at(statement)}: imports "${from}" as a namespace (${bindings.name.text}); tsoa finds decorators by their own names, so @${bindings.name.text}.Get(...) and the like are silently ignored: import them by name (import { Route, Get } from "${from}")`,
        );
        continue;
      }
      for (const element of bindings.elements) {
        const imported = element.propertyName?.text;
        if (
          imported !== undefined &&
          imported !== element.name.text &&
          TSOA_DECORATORS.has(imported)
        ) {
          findings.errors.push(
            `${at(element)}: imports ${imported} as ${element.name.text}; tsoa finds decorators by their own names, so @${element.name.text} is silently ignored: import { ${imported} } and write @${imported}`,
          );
        }
      }
    }

    for (const controller of controllers) {
      for (const member of controller.members) {
        if (!ts.isMethodDeclaration(member)) continue;
        const names = decoratorNames(ts, member);
        if (names.length === 0) continue;
        const method = `${controller.name?.text ?? "controller"}.${member.name.getText(source)}`;
        const unknown = names.filter((n) => !TSOA_DECORATORS.has(n));
        if (!names.some((n) => HTTP_METHOD_DECORATORS.has(n))) {
          findings.warnings.push(
            `${at(member)}: ${method} has decorators (${names.map((n) => `@${n}`).join(", ")}) but none of @Get, @Post, @Put, @Patch, @Delete, so it is not an operation; if it should be one, use tsoa's decorators by their own names, not a wrapper`,
          );
        } else if (unknown.length > 0) {
          findings.warnings.push(
            `${at(member)}: ${method}: ${unknown.map((n) => `@${n}`).join(", ")} ${unknown.length === 1 ? "is" : "are"} not tsoa decorators, so ${unknown.length === 1 ? "it does" : "they do"} not change the spec; a wrapper around @Extension or @OperationId has no effect, use those directly`,
          );
        }
      }
    }
  }
  return findings;
}

function decoratorNames(ts: typeof TypeScript, node: TypeScript.HasDecorators): string[] {
  return (ts.getDecorators(node) ?? []).map((decorator) => {
    const expression = ts.isCallExpression(decorator.expression)
      ? decorator.expression.expression
      : decorator.expression;
    return ts.isIdentifier(expression)
      ? expression.text
      : ts.isPropertyAccessExpression(expression)
        ? expression.name.text
        : expression.getText();
  });
}

function typeScriptFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [path] : [];
  });
}

/** `notes.controller.ts` → `notes-controller.ts`, the example layout's naming. */
function suggestName(file: string): string {
  const base = file.split("/").at(-1) ?? file;
  const stem = base
    .replace(/\.ts$/, "")
    .replace(/[._](controller)$/i, "")
    .replace(/Controller$/, "");
  return `${stem
    .replace(/[._]/g, "-")
    .replace(/([a-z])([A-Z])/g, "$1-$2")
    .toLowerCase()}-controller.ts`;
}
