/**
 * Notices when the process that started this one goes away (an `npx` wrapper killed, a terminal
 * closed): its parent process id changes (the orphan is adopted by init or a subreaper), or its IPC
 * channel disconnects. Long-running commands treat that as SIGTERM.
 */

/** Calls `onGone` once when the parent goes away; returns a function that stops watching. */
export function watchParent(onGone: (reason: string) => void, everyMs = 500): () => void {
  const parent = process.ppid;
  let fired = false;
  const fire = (reason: string) => {
    if (fired) return;
    fired = true;
    stop();
    onGone(reason);
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) fire(`parent process ${parent} exited`);
  }, everyMs);
  timer.unref();
  const onDisconnect = () => fire('the IPC channel to the parent closed');
  if (process.channel) process.once('disconnect', onDisconnect);
  const stop = () => {
    clearInterval(timer);
    process.off('disconnect', onDisconnect);
  };
  return stop;
}
