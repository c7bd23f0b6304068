export { LocalStackError, ScheduledRunError } from './errors';
export type { EventSourceSettings } from './event-sources';
export type { FunctionLogLevel } from './functions';
export {
  type PipelineRunOptions,
  type PipelineSummary,
  type RunProgress,
  runPipeline,
  type Stage,
} from './run-pipeline';
export {
  type LocalStack,
  type LocalStackOptions,
  lakeUriOf,
  loadLocalDeployment,
  startLocalStack,
} from './start-local-stack';
