'use strict';
// Conformance: JSON payload fidelity (docs/emulator.md: JSON payloads are forwarded byte for byte as sent, the
// `data` member of a JSON-subprotocol frame is cut out, never re-serialised). The official client SDK
// (@azure/web-pubsub-client 1.1.0) sends JSON to a group and another SDK client receives it; the official
// service SDK (@azure/web-pubsub 1.2.0) sends JSON text over REST; a raw `ws` client of
// json.webpubsub.azure.v1 checks the exact bytes of the `data` member in the frame text.

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');

const WebSocket = require('ws');
const { WebPubSubServiceClient } = require('@azure/web-pubsub');
const { WebPubSubClient, WebPubSubJsonProtocol } = require('@azure/web-pubsub-client');
const { Emulator, parseConnectionString } = require('./support/emulator');
const { waitFor, nextEvent } = require('./support/wait');

const HUB = 'fidelityconformance';
const WAIT_MS = 10000;
const TEST_TIMEOUT_MS = 45000;
const SERVICE_OPTIONS = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };
// Key order not sorted, an integer beyond 2^53 and a trailing zero: any re-serialisation changes these bytes.
const JSON_TEXT = '{"b":1,"a":12345678901234567890,"c":1.10}';

const emulator = new Emulator();
let cs = '';
let svc = null;
const liveClients = new Set();
const rawSockets = new Set();

const rest = () => ({ abortSignal: AbortSignal.timeout(WAIT_MS) });

/** An SDK client (json subprotocol) that records group and server messages. */
async function sdkClient(tokenOptions) {
  const token = await svc.getClientAccessToken(tokenOptions);
  const client = new WebPubSubClient(token.url, {
    protocol: WebPubSubJsonProtocol(),
    messageRetryOptions: { maxRetries: 0 },
    keepAliveIntervalInMs: 2000,
    keepAliveTimeoutInMs: 15000,
  });
  liveClients.add(client);
  client.group = [];
  client.server = [];
  client.on('group-message', (a) => client.group.push(a.message));
  client.on('server-message', (a) => client.server.push(a.message));
  const connected = nextEvent(client, 'connected', WAIT_MS);
  await client.start({ abortSignal: AbortSignal.timeout(WAIT_MS) });
  await connected;
  return client;
}

/** A raw `ws` client of json.webpubsub.azure.v1 keeping every text frame as received; resolves once connected. */
async function rawClient(tokenOptions) {
  const token = await svc.getClientAccessToken(tokenOptions);
  const ws = new WebSocket(token.url, 'json.webpubsub.azure.v1');
  rawSockets.add(ws);
  ws.frames = [];
  ws.on('message', (data, isBinary) => {
    if (!isBinary) ws.frames.push(data.toString('utf8'));
  });
  ws.on('error', () => {}); // a failure shows up as a timed-out wait below
  await waitFor(() => ws.frames.some((f) => JSON.parse(f).type === 'system'), WAIT_MS,
                () => `the raw client's connected frame (state ${ws.readyState})`);
  assert.equal(ws.protocol, 'json.webpubsub.azure.v1');
  return ws;
}

const messageFrames = (ws) => ws.frames.filter((f) => JSON.parse(f).type === 'message');

describe('JSON fidelity through the official SDKs', { timeout: 120000 }, () => {
  before(async () => {
    cs = await emulator.start();
    svc = new WebPubSubServiceClient(cs, HUB, SERVICE_OPTIONS);
  });

  afterEach(() => {
    for (const c of liveClients) c.stop();
    liveClients.clear();
    for (const ws of rawSockets) ws.terminate();
    rawSockets.clear();
  });

  after(async () => {
    await emulator.stop();
  });

  test('client SDK sendToGroup json reaches an SDK client equal and a raw client byte for byte',
       { timeout: TEST_TIMEOUT_MS }, async () => {
         const group = 'fid-g';
         const receiver = await sdkClient({ userId: 'fid-rx', groups: [group] });
         const raw = await rawClient({ userId: 'fid-raw', groups: [group] });
         const sender = await sdkClient({ userId: 'fid-tx', roles: [`webpubsub.sendToGroup.${group}`] });
         const data = { z: 'last key first', n: [1, 2.5, -3e-7], s: 'é \u2028 "q" \\', nested: { t: true, u: null } };
         await sender.sendToGroup(group, data, 'json', { noEcho: true });
         await waitFor(() => receiver.group.length === 1 && messageFrames(raw).length === 1, WAIT_MS,
                       () => `the group message at both receivers (sdk ${receiver.group.length}, ` +
                           `raw ${messageFrames(raw).length})`);
         const got = receiver.group[0];
         assert.equal(got.dataType, 'json');
         assert.equal(got.group, group);
         assert.equal(got.fromUserId, 'fid-tx');
         assert.deepEqual(got.data, data);
         // The SDK put JSON.stringify(data) on the wire; the emulator forwards exactly those bytes.
         const frame = messageFrames(raw)[0];
         assert.ok(frame.includes(`"data":${JSON.stringify(data)}`), `raw frame ${frame}`);
         assert.equal(JSON.parse(frame).dataType, 'json');
         assert.equal(sender.group.length, 0, 'noEcho: the sender gets no copy');
       });

  test('REST JSON text (service SDK) reaches a raw json client byte for byte', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const raw = await rawClient({ userId: 'rest-raw' });
         const sdk = await sdkClient({ userId: 'rest-sdk' });
         // The SDK's public sendToAll(string, { contentType: 'application/json' }) JSON.stringify()s the string
         // (a JSON string value, see the next test); the SDK's own REST layer sends the text as the body.
         await svc.client.webPubSub.sendToAll(HUB, 'application/json', JSON_TEXT, rest());
         await waitFor(() => messageFrames(raw).length === 1 && sdk.server.length === 1, WAIT_MS,
                       'the REST message at the raw and the SDK client');
         const frame = messageFrames(raw)[0];
         assert.ok(frame.includes(`"data":${JSON_TEXT}`), `raw frame ${frame}`);
         assert.equal(JSON.parse(frame).from, 'server');
         assert.equal(JSON.parse(frame).dataType, 'json');
         assert.equal(sdk.server[0].dataType, 'json');
         assert.deepEqual(sdk.server[0].data, JSON.parse(JSON_TEXT));
       });

  test('REST string with contentType application/json (public sendToAll) arrives as that JSON string value',
       { timeout: TEST_TIMEOUT_MS }, async () => {
         const raw = await rawClient({ userId: 'rest-raw2' });
         const sdk = await sdkClient({ userId: 'rest-sdk2' });
         await svc.sendToAll(JSON_TEXT, { ...rest(), contentType: 'application/json' });
         await waitFor(() => messageFrames(raw).length === 1 && sdk.server.length === 1, WAIT_MS,
                       'the REST message at the raw and the SDK client');
         const frame = messageFrames(raw)[0];
         assert.ok(frame.includes(`"data":${JSON.stringify(JSON_TEXT)}`), `raw frame ${frame}`);
         assert.equal(sdk.server[0].dataType, 'json');
         assert.equal(sdk.server[0].data, JSON_TEXT, 'the SDK client gets the string back unchanged');
       });

  test('emulator still running, no sanitizer report, no token or key in its log', () => {
    assert.ok(emulator.running(), 'emulator alive after all clients');
    assert.doesNotMatch(emulator.stderr, /AddressSanitizer|runtime error:|LeakSanitizer/);
    assert.doesNotMatch(emulator.stderr, /eyJ[A-Za-z0-9_-]{10,}\./, 'no JWT in the emulator log');
    const { accessKey } = parseConnectionString(cs);
    assert.ok(!emulator.stderr.includes(accessKey), 'no access key in the emulator log');
  });
});
