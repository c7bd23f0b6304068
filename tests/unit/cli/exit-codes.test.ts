import { exitCodeOf, UsageError } from '../../../cli/run';
import { ConfigError, loadConfig } from '../../../libs/config';
import { PinlakeError } from '../../../libs/errors';
import { StorageError } from '../../../libs/storage';

describe('Function: exitCodeOf()', () => {
  it('answers 2 for a usage mistake or a bad setting, 1 for any other failure', () => {
    // Prepare
    const badSetting = (() => {
      try {
        loadConfig({ CHAOS: '7' });
      } catch (error) {
        return error;
      }
    })();

    // Act
    const codes = [
      new UsageError('--posts must be a number'),
      badSetting,
      new StorageError('s3 said no'),
      new Error('plain'),
      'not even an error',
    ].map(exitCodeOf);

    // Assess
    expect(badSetting).toBeInstanceOf(ConfigError);
    expect(codes).toStrictEqual([2, 2, 1, 1, 1]);
  });

  it('reads the kind from the stable code and name each error carries, not from its message', () => {
    // Act
    const error = new StorageError('anything at all');

    // Assess
    expect(error).toBeInstanceOf(PinlakeError);
    expect([error.name, error.code, error.retriable]).toStrictEqual(['StorageError', 'STORAGE', false]);
    expect(String(error)).toBe('StorageError: anything at all');
  });
});
