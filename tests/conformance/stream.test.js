'use strict';
// Conformance: group streams of @azure/web-pubsub-client 1.1.0 (openGroupStream / onGroupStream, a preview in
// the SDK) against our emulator. One client opens a stream to a group; other 1.1.0 clients in the group receive
// it through onGroupStream with every chunk in order; streamEnd with an error, the idle timeout, refusals, and
// the ack behaviour the SDK relies on (the start resolves on streamAck 1, acks never outrun what was sent,
// streamClosed frees the stream id). Reference: docs/emulator.md#group-streams, docs/protocol.md#group-streams.

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');

const { WebPubSubServiceClient } = require('@azure/web-pubsub');
const { WebPubSubClient, WebPubSubJsonProtocol, WebPubSubJsonReliableProtocol } = require('@azure/web-pubsub-client');
const { Emulator } = require('./support/emulator');
const { waitFor, nextEvent, rejectionOf } = require('./support/wait');

const HUB = 'streamconformance';
const GROUP = 'room';
const WAIT_MS = 10000;
const TEST_TIMEOUT_MS = 45000;
const SERVICE_OPTIONS = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };

const emulator = new Emulator();
let svc = null;
const liveClients = new Set();

async function startClient(options, protocol = WebPubSubJsonProtocol()) {
  const { url } = await svc.getClientAccessToken(options);
  const client = new WebPubSubClient(url, {
    protocol,
    messageRetryOptions: { maxRetries: 0 },
    keepAliveIntervalInMs: 2000,
    keepAliveTimeoutInMs: 15000,
  });
  liveClients.add(client);
  const connected = nextEvent(client, 'connected', WAIT_MS);
  await client.start({ abortSignal: AbortSignal.timeout(WAIT_MS) });
  await connected;
  return client;
}

const publisher = (userId = 'ann') => startClient({ userId, roles: [`webpubsub.sendToGroup.${GROUP}`] });
const member = (userId, protocol) => startClient({ userId, groups: [GROUP] }, protocol);

/**
 * Collects the streams `client` receives through onGroupStream: for each, its fragments and how it ended
 * ({ done: true } or { error }).
 */
function collect(client, options) {
  const streams = [];
  const subscription = client.onGroupStream(async (stream) => {
    const entry = { groupName: stream.groupName, streamId: stream.streamId, fragments: [], end: null };
    streams.push(entry);
    try {
      for await (const fragment of stream) entry.fragments.push(fragment);
      entry.end = { done: true };
    } catch (error) {
      entry.end = { error };
    }
  }, options);
  return { streams, subscription };
}

const ended = (got, n = 1) => () => got.streams.length >= n && got.streams.slice(0, n).every((s) => s.end !== null);

describe('group streams (@azure/web-pubsub-client 1.1.0) against the emulator', { timeout: 300000 }, () => {
  before(async () => {
    const cs = await emulator.start();
    svc = new WebPubSubServiceClient(cs, HUB, SERVICE_OPTIONS);
  });

  afterEach(async () => {
    for (const c of liveClients) c.stop();
    liveClients.clear();
  });

  after(async () => {
    await emulator.stop();
  });

  test('a stream reaches json and json.reliable members through onGroupStream, every chunk in order',
       { timeout: TEST_TIMEOUT_MS }, async () => {
         const bob = await member('bob', WebPubSubJsonProtocol());
         const cid = await member('cid', WebPubSubJsonReliableProtocol());
         const bobGot = collect(bob, { handleFromStart: true });
         const cidGot = collect(cid);
         const ann = await publisher();
         const errors = [];
         const writer = await ann.openGroupStream(GROUP, { streamId: 'answer-1' });
         writer.onError((e) => errors.push(e));
         assert.equal(writer.streamId, 'answer-1');
         const chunks = ['Once ', 'upon ', 'a ', 'time'];
         for (const chunk of chunks) await writer.write(chunk, 'text');
         await writer.write({ done: false, n: 12345678901234567890 }, 'json');
         await writer.write(new Uint8Array([0, 1, 255]).buffer, 'binary');
         await writer.end();

         for (const got of [bobGot, cidGot]) {
           await waitFor(ended(got), WAIT_MS, 'the stream to end');
           assert.equal(got.streams.length, 1);
           const [stream] = got.streams;
           assert.deepEqual(stream.end, { done: true });
           assert.equal(stream.groupName, GROUP);
           assert.equal(stream.streamId, 'answer-1');
           assert.equal(stream.fragments.length, 6);
           assert.deepEqual(stream.fragments.slice(0, 4).map((f) => f.data), chunks);
           assert.deepEqual(stream.fragments.map((f) => f.stream.streamSequenceId), [1, 2, 3, 4, 5, 6]);
           assert.ok(stream.fragments.every((f) => f.fromUserId === 'ann' && f.groupName === GROUP));
           assert.equal(stream.fragments[4].dataType, 'json');
           assert.equal(stream.fragments[4].data.done, false);
           assert.deepEqual([...new Uint8Array(stream.fragments[5].data)], [0, 1, 255]);
         }
         // The reliable member's messages carry its own sequence ids besides the stream's numbers.
         assert.ok(cidGot.streams[0].fragments.every((f) => typeof f.sequenceId === 'number'));
         assert.deepEqual(errors, []);
       });

  test('streamEnd with an error: members see a UserError with the message and code', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const bob = await member('bob');
         const got = collect(bob);
         const ann = await publisher();
         const writer = await ann.openGroupStream(GROUP);
         await writer.write('partial', 'text');
         await writer.abort({ message: 'model overloaded', userErrorCode: 'E42' });
         await waitFor(ended(got), WAIT_MS, 'the stream to fail');
         const [stream] = got.streams;
         assert.deepEqual(stream.fragments.map((f) => f.data), ['partial']);
         assert.ok(stream.end.error, 'the iterator rejects');
         assert.equal(stream.end.error.name, 'UserError');
         assert.equal(stream.end.error.message, 'model overloaded');
         assert.equal(stream.end.error.userErrorCode, 'E42');
       });

  test('streamClosed after the end frees the stream id; a second stream with it works', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const bob = await member('bob');
         const got = collect(bob);
         const ann = await publisher();
         for (const text of ['first', 'second']) {
           // Without the service's streamClosed the SDK would keep the first session: "already exists".
           await waitFor(() => !ann._outboundStreams.has('reused'), WAIT_MS, 'the first stream to be closed');
           const writer = await ann.openGroupStream(GROUP, { streamId: 'reused' });
           await writer.write(text, 'text');
           await writer.end();
         }
         await waitFor(ended(got, 2), WAIT_MS, 'both streams to end');
         assert.deepEqual(got.streams.map((s) => s.fragments.map((f) => f.data)), [['first'], ['second']]);
       });

  test('acks keep pace with 200 quick writes: no protocol violation, nothing lost', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const bob = await member('bob');
         const got = collect(bob);
         const ann = await publisher();
         const errors = [];
         const writer = await ann.openGroupStream(GROUP);
         writer.onError((e) => errors.push(e));
         await Promise.all(Array.from({ length: 200 }, (_, i) => writer.write(`#${i}`, 'text')));
         await writer.end();
         await waitFor(ended(got), WAIT_MS, 'the stream to end');
         assert.equal(got.streams[0].fragments.length, 200);
         assert.deepEqual(got.streams[0].fragments.map((f) => f.data), Array.from({ length: 200 }, (_, i) => `#${i}`));
         // An ack outside what was sent would have closed the stream with ProtocolViolation.
         assert.deepEqual(errors, []);
         // The members' end marker goes out before the publisher's streamClosed: the members may see the end first.
         await waitFor(() => ann._outboundStreams.size === 0, WAIT_MS, 'the publisher to hear streamClosed');
       });

  test('no sendToGroup permission: openGroupStream rejects with Forbidden', { timeout: TEST_TIMEOUT_MS }, async () => {
    const bob = await member('bob');
    const error = await rejectionOf(bob.openGroupStream(GROUP, { streamId: 'nope' }), 'openGroupStream');
    assert.equal(error.name, 'Forbidden');
    assert.match(error.message, /no permission to send message to group 'room'/);
  });

  test('an idle stream times out: the writer hears IdleTimeout, members see it fail', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const bob = await member('bob');
         const got = collect(bob);
         const ann = await publisher();
         const errors = [];
         const writer = await ann.openGroupStream(GROUP, { idleTimeoutInMs: 300 });
         writer.onError((e) => errors.push(e));
         await writer.write('then silence', 'text');
         await waitFor(() => errors.length === 1, WAIT_MS, 'the writer\'s error');
         assert.equal(errors[0].name, 'IdleTimeout');
         await waitFor(ended(got), WAIT_MS, 'the member\'s stream to fail');
         assert.equal(got.streams[0].end.error.name, 'IdleTimeout');
         await assert.rejects(writer.write('too late', 'text'));
       });

  test('noEcho: a publisher in the group receives its own stream only without noEcho', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const ann = await startClient({ userId: 'ann', roles: [`webpubsub.sendToGroup.${GROUP}`], groups: [GROUP] });
         const own = collect(ann);
         const quiet = await ann.openGroupStream(GROUP, { streamId: 'quiet', noEcho: true });
         await quiet.write('not to me', 'text');
         await quiet.end();
         const loud = await ann.openGroupStream(GROUP, { streamId: 'loud' });
         await loud.write('to me too', 'text');
         await loud.end();
         await waitFor(ended(own), WAIT_MS, 'the echoed stream');
         assert.deepEqual(own.streams.map((s) => s.streamId), ['loud']);
       });
});
