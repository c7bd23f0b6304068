// A jest reporter that ends the run with one plain line, `jest: N passed, N failed`, which CI
// systems that read a closing line understand (jest's own summary says "N passed, N total").
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${tail}\n`;
    // At exit, so it comes after jest's own summary and is the run's last line.
    process.once('exit', () => process.stdout.write(line));
  }
}

module.exports = SummaryReporter;
