/** What `pinlake table` loads when a subcommand runs (not for --help or a usage error). */
export { checkTable, history, optimize, tableInfo, vacuum } from '../../libs/delta';
