// A stand-in for the nodejs22.x runtime's bootstrap, copied out of the repository and run by the
// pinned Node 22 in a function's unpacked zip (its /var/task):
//   node lambda-runner.cjs <task dir> <handler> <function name> <event file>…
// It loads the handler as Lambda does (Runtime.ImportModuleError when a module cannot be found), then
// invokes it once per event, one after another in the same process, as warm invocations. It prints one
// line, `@@runner@@` followed by JSON: the init error or each invocation's reply or error, and every
// module file the process loaded (so the test can see that nothing came from outside the zip and the
// runtime's modules). Logs the handler prints go to stdout as well and are ignored.
const { randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const path = require('node:path');

const [taskDir, handlerSetting, functionName, ...eventFiles] = process.argv.slice(2);
const MARK = '@@runner@@';

function finish(outcome) {
  const loaded = Object.keys(require.cache).filter((file) => file !== __filename);
  process.stdout.write(`${MARK}${JSON.stringify({ ...outcome, loaded })}\n`, () => process.exit(0));
}

const describe = (error) => ({
  errorType: error instanceof Error ? error.name : typeof error,
  errorMessage: error instanceof Error ? error.message : String(error),
});

function loadHandler() {
  const dot = handlerSetting.lastIndexOf('.');
  const modulePath = path.join(taskDir, handlerSetting.slice(0, dot));
  let loaded;
  try {
    loaded = require(modulePath);
  } catch (error) {
    const notFound = error && error.code === 'MODULE_NOT_FOUND';
    const { errorMessage } = describe(error);
    return { error: { errorType: notFound ? 'Runtime.ImportModuleError' : 'Runtime.UserCodeSyntaxError', errorMessage } };
  }
  const handler = loaded[handlerSetting.slice(dot + 1)];
  if (typeof handler !== 'function') {
    return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage: `${handlerSetting} is undefined or not exported` } };
  }
  return { handler };
}

function contextFor(timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/12/01/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

async function main() {
  process.chdir(taskDir);
  const { handler, error } = loadHandler();
  if (error !== undefined) return finish({ init: error });
  const invocations = [];
  for (const file of eventFiles) {
    const event = JSON.parse(readFileSync(file, 'utf8'));
    try {
      const reply = await handler(event, contextFor(60_000));
      invocations.push({ event: file, reply: reply === undefined ? null : reply });
    } catch (failure) {
      invocations.push({ event: file, error: describe(failure) });
    }
  }
  return finish({ invocations });
}

main().catch((error) => finish({ init: describe(error) }));
