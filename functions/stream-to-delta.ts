import { openLake } from '../libs/lake/open-lake';
import { lambdaRuntime } from '../libs/lambda-runtime';
import { createStreamToDeltaHandler } from '../libs/stream-to-delta';

// Built once per container: configuration, lake store, logger and metrics are reused across invocations.
const { config, logger, metrics } = lambdaRuntime();
const store = openLake(config, config.lakeUri);

/** Kinesis → tables/stream/<kind>, exactly once (see libs/stream-to-delta/write-kinesis-batch.ts). */
export const handler = createStreamToDeltaHandler({
  store,
  pipelineId: config.pipelineId,
  commitMode: config.streamCommitMode,
  logger,
  metrics: metrics(),
});
