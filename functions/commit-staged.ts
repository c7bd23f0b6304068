import { openLake } from '../libs/lake/open-lake';
import { lambdaRuntime } from '../libs/lambda-runtime';
import { createCommitStagedHandler } from '../libs/stream-to-delta';

// Built once per container: the stream tables' snapshots stay warm from one invocation to the next.
const { config, logger } = lambdaRuntime();
const store = openLake(config, config.lakeUri);

/** Schedule (every minute) → group commits of what stream-to-delta staged (see libs/delta/staging.ts). */
export const handler = createCommitStagedHandler({
  store,
  logger,
  commitMode: config.streamCommitMode,
});
