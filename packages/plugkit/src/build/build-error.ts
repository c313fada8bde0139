/** Thrown when the build finds problems; `problems` lists all of them, one line each. */
export class PluginBuildError extends Error {
  override readonly name = "PluginBuildError";
  readonly problems: readonly string[];

  constructor(title: string, problems: readonly string[], options?: { cause?: unknown }) {
    super(`${title}\n${problems.map((p) => `  - ${p}`).join("\n")}`, options);
    this.problems = problems;
  }
}
