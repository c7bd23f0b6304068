/**
 * The contract every benchmark in bench/ follows: a file `bench/<name>.ts` exporting `run`, listed
 * in `BENCHMARKS` in bench/main.ts.
 */

/** What `npm run bench` passes to every benchmark. */
export interface BenchOptions {
  /** True when the output is machine-read: print nothing but errors on stdout. */
  json: boolean;
  /** True for `--check`: the benchmark reports whether it meets its budget (see {@link BenchResult.check}). */
  check?: boolean;
}

/** A budget a benchmark checks under `--check`: each failure names the figure, its value and the budget. */
export interface BudgetCheck {
  readonly budget: string;
  readonly failures: string[];
}

/** Named figures: numbers (rates, times, sizes) or short text (units, settings). */
export type Figures = Record<string, number | string>;

/** What one benchmark reports. */
export interface BenchResult {
  name: string;
  figures: Figures;
  /** The same work done by a reference tool in the same run, e.g. DuckDB. */
  reference?: { name: string; figures: Figures };
  notes?: string[];
  /** Set when the benchmark has a budget; `--check` exits 1 when it has failures. */
  check?: BudgetCheck;
}

/** A benchmark module. */
export interface Benchmark {
  run(options: BenchOptions): Promise<BenchResult>;
}
