import { Logger } from '@aws-lambda-powertools/logger';

/** A real Powertools logger that prints nothing and keeps the arguments of every `error` call. */
export class CapturingLogger extends Logger {
  readonly errors: unknown[][] = [];

  constructor() {
    super({ serviceName: 'test', logLevel: 'SILENT' });
  }

  override error(...args: Parameters<Logger['error']>): void {
    this.errors.push(args);
  }
}
