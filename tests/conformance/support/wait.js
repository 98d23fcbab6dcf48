'use strict';
// Bounded waiting helpers: every wait has a time limit and fails with a message saying what was awaited.

const POLL_MS = 10;

/** Resolves once pred() is truthy; rejects after `ms` with `what` (a string, or a function giving one at
 *  the time of failure, so counts in it are current) in the message. */
async function waitFor(pred, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    if (pred()) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'function' ? what() : what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Resolves with the first `event` emitted by an SDK client (on/off API) whose args satisfy `pred`;
 * rejects after `ms`.
 */
function nextEvent(emitter, event, ms, pred = () => true) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${ms} ms waiting for the "${event}" event`));
    }, ms);
    function listener(args) {
      if (!pred(args)) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(args);
    }
    emitter.on(event, listener);
  });
}

/** Awaits `promise` and returns the error it rejected with; fails when it resolved. */
async function rejectionOf(promise, what) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error(`expected ${what} to fail, but it succeeded`);
}

module.exports = { waitFor, nextEvent, rejectionOf };
