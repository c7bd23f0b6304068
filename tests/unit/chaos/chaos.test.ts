import { ChaosError, maybeFail, setChaos } from '../../../libs/chaos';

describe('Function: maybeFail()', () => {
  afterEach(() => setChaos(undefined));

  it('throws a ChaosError naming the step when the draw falls under the probability', () => {
    // Prepare
    const draws = [0.1, 0.9];
    setChaos(0.5, () => draws.shift()!);

    // Act
    const first = () => maybeFail('stream-to-delta:after-upload');
    const second = () => maybeFail('stream-to-delta:after-upload');

    // Assess
    expect(first).toThrow(new ChaosError('stream-to-delta:after-upload'));
    expect(second).not.toThrow();
  });

  it('never fails and never draws with probability 0', () => {
    // Prepare
    let draws = 0;
    setChaos(0, () => {
      draws++;
      return 0;
    });

    // Act
    for (let i = 0; i < 100; i++) maybeFail('any-step');

    // Assess
    expect(draws).toBe(0);
  });

  it('refuses a probability outside [0, 1]', () => {
    // Act
    const set = () => setChaos(1.5);

    // Assess
    expect(set).toThrow(new RangeError('chaos probability must be between 0 and 1, got 1.5'));
  });
});
