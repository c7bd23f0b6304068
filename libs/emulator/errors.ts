import { PinlakeError } from '../errors';

/** A generator was asked for something it cannot produce (a bad seed or post count, an unknown category). */
export class GeneratorError extends PinlakeError {
  override readonly name: string = 'GeneratorError';
  override readonly code: string = 'GENERATOR';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
