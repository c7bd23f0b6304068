export {
  type PipelineSummary,
  type RunProgress,
  runPipeline,
} from './run-pipeline';
export {
  type LocalStack,
  loadLocalDeployment,
  startLocalStack,
} from './start-local-stack';
