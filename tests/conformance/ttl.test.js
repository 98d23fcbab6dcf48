'use strict';
// Conformance: message TTL across a reliable recovery (docs/emulator.md "Message TTL"). A
// json.reliable.webpubsub.azure.v1 client of the official client SDK (@azure/web-pubsub-client 1.1.0) connects
// through a loopback cutting proxy (support/proxy.js); while its socket is gone the official service SDK
// (@azure/web-pubsub 1.2.0) sends it one message with messageTtlSeconds 1 and one without a TTL. The emulator
// buffers both for replay; on recovery after the deadline it drops the expired one and replays the other, so the
// SDK sees a gap in sequenceIds (its acks are cumulative) and delivers the long-lived message exactly once.

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');

const { WebPubSubServiceClient } = require('@azure/web-pubsub');
const { WebPubSubClient, WebPubSubJsonReliableProtocol } = require('@azure/web-pubsub-client');
const { Emulator, parseConnectionString } = require('./support/emulator');
const { CuttingProxy } = require('./support/proxy');
const { waitFor, nextEvent } = require('./support/wait');

const HUB = 'ttlconformance';
const WAIT_MS = 10000;
const TEST_TIMEOUT_MS = 45000;
const TTL_SECONDS = 1;
const SERVICE_OPTIONS = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };

const emulator = new Emulator();
let cs = '';
let svc = null;
const liveClients = new Set();
const proxies = new Set();

const rest = () => ({ abortSignal: AbortSignal.timeout(WAIT_MS) });

describe('message TTL across a reliable recovery (official SDKs)', { timeout: 120000 }, () => {
  before(async () => {
    cs = await emulator.start();
    svc = new WebPubSubServiceClient(cs, HUB, SERVICE_OPTIONS);
  });

  afterEach(async () => {
    for (const c of liveClients) c.stop();
    liveClients.clear();
    for (const p of proxies) await p.stop();
    proxies.clear();
  });

  after(async () => {
    await emulator.stop();
  });

  test('json.reliable: a message whose TTL passed while the client was away is dropped, the other replayed once',
       { timeout: TEST_TIMEOUT_MS }, async () => {
         const { endpoint, accessKey } = parseConnectionString(cs);
         const proxy = new CuttingProxy(Number(new URL(endpoint).port));
         proxies.add(proxy);
         await proxy.start();
         const viaProxy = new WebPubSubServiceClient(
             `Endpoint=http://127.0.0.1:${proxy.port};AccessKey=${accessKey};Version=1.0;`, HUB, SERVICE_OPTIONS);
         const userId = 'ttl-user';
         const token = await viaProxy.getClientAccessToken({ userId });
         const client = new WebPubSubClient(token.url, {
           protocol: WebPubSubJsonReliableProtocol(),
           messageRetryOptions: { maxRetries: 0 },
           keepAliveIntervalInMs: 2000,
           keepAliveTimeoutInMs: 15000,
         });
         liveClients.add(client);
         const received = [];
         const disconnected = [];
         client.on('server-message', (a) => received.push(a.message));
         client.on('disconnected', (a) => disconnected.push(a));
         const connectedEvent = nextEvent(client, 'connected', WAIT_MS);
         await client.start({ abortSignal: AbortSignal.timeout(WAIT_MS) });
         const { connectionId } = await connectedEvent;

         // One message before the drop, so the sequence is under way and acknowledged.
         await svc.sendToUser(userId, { n: 'before' }, rest());
         await waitFor(() => received.length === 1, WAIT_MS, 'the message sent before the drop');

         proxy.pause(); // recovery attempts fail until resume()
         assert.equal(proxy.cut(), 1, 'one client connection through the proxy');
         // While the client is away: first the short-lived message, then one without a TTL.
         await svc.sendToUser(userId, { n: 'expires' }, { ...rest(), messageTtlSeconds: TTL_SECONDS });
         const sentAt = Date.now();
         await svc.sendToUser(userId, { n: 'lives' }, rest());
         // Keep the client away until the deadline has certainly passed (bounded: the TTL plus a margin), and
         // until it has tried to recover at least once (proving it really was away).
         await waitFor(() => Date.now() - sentAt > TTL_SECONDS * 1000 + 500 && proxy.refused >= 1, WAIT_MS,
                       () => `the TTL to pass and a refused recovery attempt (refused ${proxy.refused})`);
         proxy.resume();
         await waitFor(() => received.some((m) => m.data.n === 'lives'), 2 * WAIT_MS,
                       () => `the long-lived message after recovery (got ${JSON.stringify(received.map((m) => m.data))})`);
         // A marker sent after the recovery arrives after anything the replay could still deliver.
         await svc.sendToUser(userId, { n: 'after' }, rest());
         await waitFor(() => received.some((m) => m.data.n === 'after'), WAIT_MS, 'the marker after recovery');

         assert.deepEqual(received.map((m) => m.data.n), ['before', 'lives', 'after'],
                          'the expired message never arrives, the long-lived one exactly once');
         // The gap in sequenceIds is where the expired message was.
         assert.deepEqual(received.map((m) => m.sequenceId), [1, 3, 4]);
         assert.equal(disconnected.length, 0, 'it was a recovery, not a new connection');
         assert.equal(client._connectionId, connectionId, 'the SDK keeps its connectionId');
         assert.ok(proxy.accepted >= 2, 'the client reconnected through the proxy');
         // The emulator says in its log why a message was not replayed.
         await waitFor(() => /dropped 1 expired message\(s\) on recovery/.test(emulator.stderr), WAIT_MS,
                       'the emulator log line about the dropped message');
       });

  test('json.reliable: a message with a TTL that has not passed is replayed after recovery',
       { timeout: TEST_TIMEOUT_MS }, async () => {
         const { endpoint, accessKey } = parseConnectionString(cs);
         const proxy = new CuttingProxy(Number(new URL(endpoint).port));
         proxies.add(proxy);
         await proxy.start();
         const viaProxy = new WebPubSubServiceClient(
             `Endpoint=http://127.0.0.1:${proxy.port};AccessKey=${accessKey};Version=1.0;`, HUB, SERVICE_OPTIONS);
         const userId = 'ttl-long';
         const token = await viaProxy.getClientAccessToken({ userId });
         const client = new WebPubSubClient(token.url, {
           protocol: WebPubSubJsonReliableProtocol(),
           messageRetryOptions: { maxRetries: 0 },
           keepAliveIntervalInMs: 2000,
           keepAliveTimeoutInMs: 15000,
         });
         liveClients.add(client);
         const received = [];
         client.on('server-message', (a) => received.push(a.message));
         const connectedEvent = nextEvent(client, 'connected', WAIT_MS);
         await client.start({ abortSignal: AbortSignal.timeout(WAIT_MS) });
         await connectedEvent;

         proxy.pause();
         assert.equal(proxy.cut(), 1, 'one client connection through the proxy');
         await svc.sendToUser(userId, { n: 'ttl300' }, { ...rest(), messageTtlSeconds: 300 });
         await waitFor(() => proxy.refused >= 1, WAIT_MS, 'a refused recovery attempt');
         proxy.resume();
         await waitFor(() => received.length >= 1, 2 * WAIT_MS, 'the replayed message');
         await svc.sendToUser(userId, { n: 'after' }, rest());
         await waitFor(() => received.some((m) => m.data.n === 'after'), WAIT_MS, 'the marker after recovery');
         assert.deepEqual(received.map((m) => m.data.n), ['ttl300', 'after']);
         assert.deepEqual(received.map((m) => m.sequenceId), [1, 2]);
       });

  test('emulator still running, no sanitizer report, no token or key in its log', () => {
    assert.ok(emulator.running(), 'emulator alive after all clients');
    assert.doesNotMatch(emulator.stderr, /AddressSanitizer|runtime error:|LeakSanitizer/);
    assert.doesNotMatch(emulator.stderr, /eyJ[A-Za-z0-9_-]{10,}\./, 'no JWT in the emulator log');
    const { accessKey } = parseConnectionString(cs);
    assert.ok(!emulator.stderr.includes(accessKey), 'no access key in the emulator log');
  });
});
