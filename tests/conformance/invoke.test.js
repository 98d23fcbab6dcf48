'use strict';
// Conformance: invocations (docs/emulator.md "Invocations"). The official client SDK's invokeEvent()
// (@azure/web-pubsub-client 1.1.0) against the emulator, with Microsoft's event-handler SDK
// (@azure/web-pubsub-express 1.1.0, WebPubSubEventHandler on 127.0.0.1) answering the user events:
// json, text and binary answers, failing handlers (5xx, 4xx), no handler, concurrent invocations,
// abort and timeout (the SDK then sends cancelInvocation). The client SDK 1.1.0 has no protobuf protocol;
// the protobuf frames are covered by the C++ tests (tests/emulator/invoke_test.cpp).

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const express = require('express');
const { WebPubSubEventHandler } = require('@azure/web-pubsub-express');
const { WebPubSubServiceClient } = require('@azure/web-pubsub');
const { WebPubSubClient, WebPubSubJsonProtocol, WebPubSubJsonReliableProtocol } = require('@azure/web-pubsub-client');
const { Emulator } = require('./support/emulator');
const { waitFor, nextEvent, rejectionOf } = require('./support/wait');

const HUB = 'invokehub';
const HANDLER_PATH = '/eventhandler';
const WAIT_MS = 10000;
const TEST_TIMEOUT_MS = 45000;
const SERVICE_OPTIONS = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };

const emulator = new Emulator();
let svc = null;
let server = null;
let configFile = '';
const liveClients = new Set();
/** Every user event the handler saw, and the slow invocations still running. */
const seen = [];
let slowRunning = 0;
let slowFinished = 0;

function makeApp() {
  const app = express();
  const handler = new WebPubSubEventHandler(HUB, {
    path: HANDLER_PATH,
    handleUserEvent: (req, res) => {
      seen.push(req);
      const name = req.context.eventName;
      if (name === 'echo') {
        // The SDK reads JSON into a value and writes the answer as it is given: a JSON answer is a string.
        if (req.dataType === 'json') res.success(JSON.stringify(req.data), 'json');
        else res.success(req.data, req.dataType);
      } else if (name === 'upper') {
        res.success(String(req.data).toUpperCase(), 'text');
      } else if (name === 'fail') {
        res.fail(500, 'the database is down');
      } else if (name === 'reject') {
        res.fail(400, 'bad input');
      } else if (name === 'delay') {
        // Answers after req.data.ms with req.data.n: concurrent invocations finish out of order.
        setTimeout(() => res.success(JSON.stringify({ n: req.data.n }), 'json'), req.data.ms);
      } else if (name === 'slow') {
        slowRunning += 1;
        setTimeout(() => {
          slowRunning -= 1;
          slowFinished += 1;
          res.success('late', 'text');
        }, 1500);
      } else if (name === 'nothing') {
        res.success();
      } else {
        res.fail(404, 'unknown');
      }
    },
  });
  app.use(handler.getMiddleware());
  return app;
}

function newClient(url, protocol = WebPubSubJsonReliableProtocol()) {
  const client = new WebPubSubClient(url, {
    protocol,
    messageRetryOptions: { maxRetries: 0 },
    keepAliveIntervalInMs: 2000,
    keepAliveTimeoutInMs: 15000,
  });
  client.rec = { disconnected: [] };
  client.on('disconnected', (a) => client.rec.disconnected.push(a));
  liveClients.add(client);
  return client;
}

async function connectedClient(protocol) {
  const client = newClient((await svc.getClientAccessToken({ userId: 'invoker' })).url, protocol);
  const connected = nextEvent(client, 'connected', WAIT_MS);
  await client.start({ abortSignal: AbortSignal.timeout(WAIT_MS) });
  await connected;
  return client;
}

const bounded = () => ({ abortSignal: AbortSignal.timeout(WAIT_MS) });

describe('invokeEvent (@azure/web-pubsub-client 1.1.0) against the emulator and an express handler',
         { timeout: 300000 }, () => {
           before(async () => {
             server = makeApp().listen(0, '127.0.0.1');
             await new Promise((resolve, reject) => {
               server.once('listening', resolve);
               server.once('error', reject);
             });
             const port = server.address().port;
             configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wps-invoke-')), 'emulator.json');
             fs.writeFileSync(configFile, JSON.stringify({
               hubs: {
                 [HUB]: {
                   eventHandlers: [{
                     urlTemplate: `http://127.0.0.1:${port}${HANDLER_PATH}/{event}`,
                     // No handler for "unhandled".
                     userEventPattern: 'echo,upper,fail,reject,delay,slow,nothing',
                     systemEvents: [],
                   }],
                 },
               },
             }));
             const cs = await emulator.start(['--config', configFile]);
             svc = new WebPubSubServiceClient(cs, HUB, SERVICE_OPTIONS);
           });

           afterEach(() => {
             for (const c of liveClients) c.stop();
             liveClients.clear();
           });

           after(async () => {
             await emulator.stop();
             if (server) await new Promise((resolve) => server.close(() => resolve()));
             if (server && server.closeAllConnections) server.closeAllConnections();
             if (configFile) fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
           });

           test('text: the handler sees a user event and its answer is the result', { timeout: TEST_TIMEOUT_MS },
                async () => {
                  const client = await connectedClient();
                  const before = seen.length;
                  const result = await client.invokeEvent('upper', 'hello', 'text', bounded());
                  assert.equal(result.dataType, 'text');
                  assert.equal(result.data, 'HELLO');
                  assert.ok(result.invocationId, 'an invocation id');
                  const req = seen[before];
                  assert.equal(req.context.eventName, 'upper');
                  assert.equal(req.context.userId, 'invoker');
                  assert.equal(req.dataType, 'text');
                  assert.equal(req.data, 'hello');
                });

           test('json: the value goes both ways; also on the non-reliable protocol', { timeout: TEST_TIMEOUT_MS },
                async () => {
                  for (const protocol of [WebPubSubJsonReliableProtocol(), WebPubSubJsonProtocol()]) {
                    const client = await connectedClient(protocol);
                    const value = { name: 'ada', list: [1, 2.5, 'x', null], nested: { ok: true } };
                    const result = await client.invokeEvent('echo', value, 'json', bounded());
                    assert.equal(result.dataType, 'json');
                    assert.deepEqual(result.data, value);
                    assert.equal(seen.at(-1).dataType, 'json');
                    assert.deepEqual(seen.at(-1).data, value);
                  }
                });

           test('binary: bytes go both ways; an answer without a body has no data', { timeout: TEST_TIMEOUT_MS },
                async () => {
                  const client = await connectedClient();
                  const bytes = Uint8Array.from([0, 1, 2, 253, 254, 255]);
                  const result = await client.invokeEvent('echo', bytes.buffer, 'binary', bounded());
                  assert.equal(result.dataType, 'binary');
                  assert.deepEqual(new Uint8Array(result.data), bytes);
                  assert.ok(Buffer.isBuffer(seen.at(-1).data));
                  assert.deepEqual(new Uint8Array(seen.at(-1).data), bytes);

                  const empty = await client.invokeEvent('nothing', 'x', 'text', bounded());
                  assert.equal(empty.data, undefined);
                  assert.equal(empty.dataType, undefined);
                });

           test('a failing handler, a refusing handler and a missing handler reject with the service\'s error',
                { timeout: TEST_TIMEOUT_MS }, async () => {
                  const client = await connectedClient();
                  // A 500 is retried after 1, 3 and 5 s (as for every user event) before the answer comes.
                  const failed = await rejectionOf(
                    client.invokeEvent('fail', 'x', 'text', { abortSignal: AbortSignal.timeout(30000) }), 'fail');
                  assert.equal(failed.name, 'InvocationError');
                  assert.ok(failed.invocationId);
                  assert.equal(failed.errorDetail.name, 'InternalServerError');
                  assert.match(failed.message, /500/);
                  const refused = await rejectionOf(client.invokeEvent('reject', 'x', 'text', bounded()), 'reject');
                  assert.equal(refused.errorDetail.name, 'InternalServerError');
                  assert.match(refused.message, /400/);
                  const missing =
                      await rejectionOf(client.invokeEvent('unhandled', 'x', 'text', bounded()), 'unhandled');
                  assert.equal(missing.errorDetail.name, 'InternalServerError');
                  assert.match(missing.message, /No event handler is registered for event 'unhandled'/);
                  // The connection is still fine.
                  assert.equal((await client.invokeEvent('upper', 'ok', 'text', bounded())).data, 'OK');
                  assert.equal(client.rec.disconnected.length, 0);
                });

           test('concurrent invocations are each answered with their own result', { timeout: TEST_TIMEOUT_MS },
                async () => {
                  const client = await connectedClient();
                  const count = 20;
                  const results = await Promise.all(Array.from({ length: count }, (_, n) =>
                    // Later invocations answer sooner.
                    client.invokeEvent('delay', { n, ms: (count - n) * 20 }, 'json', bounded())));
                  assert.deepEqual(results.map((r) => r.data.n), Array.from({ length: count }, (_, n) => n));
                  assert.equal(new Set(results.map((r) => r.invocationId)).size, count, 'distinct ids');
                });

           test('abort and timeout: the SDK cancels, the late answer is dropped, the client goes on',
                { timeout: TEST_TIMEOUT_MS }, async () => {
                  const client = await connectedClient();
                  const finishedBefore = slowFinished;
                  const controller = new AbortController();
                  const aborted = client.invokeEvent('slow', 'x', 'text', { abortSignal: controller.signal });
                  await waitFor(() => slowRunning > 0, WAIT_MS, 'the slow handler to start');
                  controller.abort();
                  const abortError = await rejectionOf(aborted, 'an aborted invocation');
                  assert.equal(abortError.name, 'InvocationError');
                  assert.match(abortError.message, /abortSignal/);

                  const timedOut = await rejectionOf(
                    client.invokeEvent('slow', 'y', 'text', { abortSignal: AbortSignal.timeout(200) }),
                    'an invocation past its timeout');
                  assert.equal(timedOut.name, 'InvocationError');

                  // Both handlers finish later; their answers were cancelled and do not disturb the client.
                  await waitFor(() => slowFinished >= finishedBefore + 2, WAIT_MS, 'the slow handlers to finish');
                  assert.equal((await client.invokeEvent('upper', 'still here', 'text', bounded())).data,
                               'STILL HERE');
                  assert.equal(client.rec.disconnected.length, 0);
                });
         });
