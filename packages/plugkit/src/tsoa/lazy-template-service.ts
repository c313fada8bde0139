import type { ExpressTemplateService as TsoaExpressTemplateService } from "@tsoa/runtime";
import { installValidationRules } from "./validation-rules";

type TemplateServiceArgs = ConstructorParameters<typeof TsoaExpressTemplateService>;

/**
 * tsoa's `ExpressTemplateService` (argument validation and answering for the generated
 * routes), loaded with plugkit's validation rules on its first use rather than at start-up:
 * tsoa's runtime with its validation library is a fifth of a plugin's start-up (36 ms of
 * module loading, measured), and the manifest, the spec, the health checks and the first
 * connection need none of it.
 */
export class ExpressTemplateService {
  private service: TsoaExpressTemplateService | undefined;
  private readonly args: TemplateServiceArgs;

  constructor(...args: TemplateServiceArgs) {
    this.args = args;
  }

  getValidatedArgs(
    params: Parameters<TsoaExpressTemplateService["getValidatedArgs"]>[0],
  ): unknown[] {
    return this.loaded().getValidatedArgs(params) as unknown[];
  }

  apiHandler(params: Parameters<TsoaExpressTemplateService["apiHandler"]>[0]): Promise<void> {
    return this.loaded().apiHandler(params);
  }

  private loaded(): TsoaExpressTemplateService {
    if (this.service === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- on first use, on purpose
      const runtime = require("@tsoa/runtime") as typeof import("@tsoa/runtime");
      installValidationRules(runtime.ValidationService);
      this.service = new runtime.ExpressTemplateService(...this.args);
    }
    return this.service;
  }
}
