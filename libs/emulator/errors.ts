/** A generator was asked for something it cannot produce (a bad seed or post count, an unknown category). */
export class GeneratorError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GeneratorError';
  }
}
