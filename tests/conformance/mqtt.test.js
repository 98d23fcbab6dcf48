'use strict';
// Conformance: MQTT.js (the `mqtt` npm package, the client MQTT users use) against the emulator's MQTT
// endpoint, /clients/mqtt/hubs/{hub} over WebSocket (subprotocol `mqtt`), with the official service SDK for
// tokens (getClientAccessToken({ clientProtocol: 'mqtt' })) and REST, the official WebSocket client SDK as the
// Web PubSub side, and @azure/web-pubsub-express as the upstream for the MQTT connect/connected/disconnected
// events. Documented behaviour: docs/emulator.md ("MQTT").

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const mqtt = require('mqtt');
const express = require('express');
const { WebPubSubEventHandler } = require('@azure/web-pubsub-express');
const { WebPubSubServiceClient } = require('@azure/web-pubsub');
const { WebPubSubClient, WebPubSubJsonProtocol } = require('@azure/web-pubsub-client');
const { Emulator } = require('./support/emulator');
const { waitFor } = require('./support/wait');

const HUB = 'mqtthub';
const EVENTS_HUB = 'mqttevents';
const HANDLER_PATH = '/eventhandler';
const WAIT_MS = 10000;
const TEST_TIMEOUT_MS = 45000;
const SERVICE_OPTIONS = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };
const ALL_ROLES = ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'];

const emulator = new Emulator();
let svc = null;
let eventsSvc = null;
let server = null;
let configFile = '';
const live = new Set();
const seen = { connect: [], connected: [], disconnected: [] };
let behaviour = {};

/** An MQTT.js client that never reconnects; resolves once CONNACK accepted it, rejects with the refusal. */
function connectMqtt(url, options = {}) {
  const client = mqtt.connect(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: WAIT_MS,
    keepalive: 60,
    clean: true,
    ...options,
  });
  live.add(client);
  client.received = [];
  client.on('message', (topic, payload, packet) => client.received.push({ topic, payload, packet }));
  return new Promise((resolve, reject) => {
    client.once('connect', (connack) => resolve({ client, connack }));
    client.once('error', (err) => reject(err));
  });
}

async function mqttUrl(options = {}, service = svc) {
  return (await service.getClientAccessToken({ clientProtocol: 'mqtt', roles: ALL_ROLES, ...options })).url;
}

const rest = () => ({ abortSignal: AbortSignal.timeout(WAIT_MS) });
/** The SUBACK code MQTT.js 5.x rejects subscribeAsync with (ErrorWithSubackPacket). */
const subackCode = (e) => e.packet && e.packet.granted && e.packet.granted[0];

describe('MQTT.js against the emulator\'s MQTT endpoint', { timeout: 300000 }, () => {
  before(async () => {
    const app = express();
    app.use(new WebPubSubEventHandler(EVENTS_HUB, {
      path: HANDLER_PATH,
      handleConnect: (req, res) => {
        seen.connect.push(req);
        if (behaviour.connect) return behaviour.connect(req, res);
        return res.success();
      },
      onConnected: (req) => seen.connected.push(req),
      onDisconnected: (req) => seen.disconnected.push(req),
    }).getMiddleware());
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wps-mqtt-')), 'emulator.json');
    fs.writeFileSync(configFile, JSON.stringify({
      hubs: {
        [EVENTS_HUB]: {
          eventHandlers: [{
            urlTemplate: `http://127.0.0.1:${server.address().port}${HANDLER_PATH}/{event}`,
            systemEvents: ['connect', 'connected', 'disconnected'],
          }],
        },
      },
    }));
    const cs = await emulator.start(['--config', configFile]);
    svc = new WebPubSubServiceClient(cs, HUB, SERVICE_OPTIONS);
    eventsSvc = new WebPubSubServiceClient(cs, EVENTS_HUB, SERVICE_OPTIONS);
  });

  afterEach(() => {
    for (const c of live) c.end(true);
    live.clear();
    behaviour = {};
    for (const k of Object.keys(seen)) seen[k] = [];
  });

  after(async () => {
    await emulator.stop();
    if (server) {
      if (server.closeAllConnections) server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve()));
    }
    if (configFile) fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
  });

  for (const [a, b] of [[4, 4], [5, 5], [4, 5]]) {
    test(`pub/sub between MQTT ${a === 4 ? '3.1.1' : '5.0'} and ${b === 4 ? '3.1.1' : '5.0'} clients`,
         { timeout: TEST_TIMEOUT_MS }, async () => {
           const { client: pub } = await connectMqtt(await mqttUrl(), { protocolVersion: a, clientId: `pub${a}${b}` });
           const { client: sub } = await connectMqtt(await mqttUrl(), { protocolVersion: b, clientId: `sub${a}${b}` });
           const granted = await sub.subscribeAsync('room', { qos: 1 });
           assert.deepEqual(granted.map((g) => g.qos), [1]);
           await pub.publishAsync('room', 'hello', { qos: 1 });
           await waitFor(() => sub.received.length === 1, WAIT_MS, 'the message');
           assert.equal(sub.received[0].topic, 'room');
           assert.equal(sub.received[0].payload.toString(), 'hello');
           assert.equal(sub.received[0].packet.qos, 1, 'messages go out at QoS 1');
           await pub.publishAsync('room', 'exactly once', { qos: 2 });
           await waitFor(() => sub.received.length === 2, WAIT_MS, 'the QoS 2 message');
           assert.equal(sub.received[1].payload.toString(), 'exactly once');
         });
  }

  test('the client ID is the connection ID: REST sees, sends to and closes it', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const { client } = await connectMqtt(await mqttUrl({ userId: 'mqtt-user' }),
                                              { protocolVersion: 5, clientId: 'device42' });
         assert.equal(await svc.connectionExists('device42', rest()), true);
         assert.equal(await svc.userExists('mqtt-user', rest()), true);
         await svc.sendToConnection('device42', 'to one', { contentType: 'text/plain', ...rest() });
         await svc.sendToUser('mqtt-user', { k: 'user' }, rest());
         await svc.sendToAll('to all', { contentType: 'text/plain', ...rest() });
         await waitFor(() => client.received.length === 3, WAIT_MS, 'three server messages');
         for (const m of client.received) {
           assert.equal(m.topic, '$webpubsub/server/messages');
           assert.equal(m.packet.qos, 1);
         }
         assert.deepEqual(client.received.map((m) => m.payload.toString()),
                          ['to one', '{"k":"user"}', 'to all']);
         // REST group membership is a subscription.
         await svc.group('news').addConnection('device42', rest());
         await svc.group('news').sendToAll('headline', { contentType: 'text/plain', ...rest() });
         await waitFor(() => client.received.length === 4, WAIT_MS, 'the group message');
         assert.equal(client.received[3].topic, 'news');
         const closed = new Promise((resolve) => client.once('close', resolve));
         await svc.closeConnection('device42', { reason: 'maintenance', ...rest() });
         await closed;
         assert.equal(await svc.connectionExists('device42', rest()), false);
       });

  test('MQTT and json clients talk through groups', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { client: device } = await connectMqtt(await mqttUrl(), { protocolVersion: 5, clientId: 'sensor' });
    await device.subscribeAsync('room', { qos: 1 });
    const web = new WebPubSubClient((await svc.getClientAccessToken({ roles: ALL_ROLES })).url,
                                    { protocol: WebPubSubJsonProtocol(), messageRetryOptions: { maxRetries: 0 },
                                      keepAliveIntervalInMs: 2000, keepAliveTimeoutInMs: 15000 });
    const got = [];
    web.on('group-message', (e) => got.push(e.message));
    try {
      await web.start({ abortSignal: AbortSignal.timeout(WAIT_MS) });
      await web.joinGroup('room');
      await web.sendToGroup('room', 'from json', 'text', { noEcho: true });
      await waitFor(() => device.received.length === 1, WAIT_MS, 'the json client\'s message');
      assert.equal(device.received[0].topic, 'room');
      assert.equal(device.received[0].payload.toString(), 'from json');
      // A 5.0 receiver learns the data type from the Content Type (Microsoft's cross-protocol mapping).
      assert.equal(device.received[0].packet.properties.contentType, 'text/plain');
      await device.publishAsync('room', Buffer.from([0, 1, 2]), { qos: 1 });
      await device.publishAsync('room', 'utf-8 text', { qos: 1, properties: { contentType: 'text/plain' } });
      await waitFor(() => got.length === 2, WAIT_MS, 'two MQTT messages');
      assert.equal(got[0].group, 'room');
      assert.equal(got[0].dataType, 'binary');
      assert.deepEqual([...new Uint8Array(got[0].data)], [0, 1, 2]);
      assert.equal(got[1].dataType, 'text');
      assert.equal(got[1].data, 'utf-8 text');
    } finally {
      const stopped = new Promise((resolve) => web.on('stopped', resolve));
      web.stop();
      await stopped;
    }
  });

  test('permissions: SUBACK and PUBACK refuse what the token does not allow', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const { client: c5 } = await connectMqtt(await mqttUrl({ roles: [] }), { protocolVersion: 5, clientId: 'noroles5' });
         await assert.rejects(c5.subscribeAsync('room', { qos: 1 }), (e) => subackCode(e) === 135); // not authorized
         await assert.rejects(c5.publishAsync('room', 'x', { qos: 1 }), (e) => e.code === 135);
         const { client: c4 } = await connectMqtt(await mqttUrl({ roles: [] }), { protocolVersion: 4, clientId: 'noroles4' });
         await assert.rejects(c4.subscribeAsync('room', { qos: 1 }), (e) => subackCode(e) === 128);
         // A scoped role opens one topic only.
         const { client: scoped } = await connectMqtt(
           await mqttUrl({ roles: ['webpubsub.joinLeaveGroup.room', 'webpubsub.sendToGroup.room'] }),
           { protocolVersion: 5, clientId: 'scoped' });
         assert.deepEqual((await scoped.subscribeAsync('room', { qos: 1 })).map((g) => g.qos), [1]);
         await assert.rejects(scoped.subscribeAsync('other', { qos: 1 }), (e) => subackCode(e) === 135);
         // A REST grant adds a permission to a live connection.
         await svc.grantPermission('noroles5', 'joinLeaveGroup', { targetName: 'room', ...rest() });
         assert.deepEqual((await c5.subscribeAsync('room', { qos: 0 })).map((g) => g.qos), [0]);
       });

  test('wildcard and shared subscriptions are refused', { timeout: TEST_TIMEOUT_MS }, async () => {
    const { client: c5 } = await connectMqtt(await mqttUrl(), { protocolVersion: 5, clientId: 'wild5' });
    await assert.rejects(c5.subscribeAsync('room/+'), (e) => subackCode(e) === 162); // wildcard subscriptions n/s
    await assert.rejects(c5.subscribeAsync('#'), (e) => subackCode(e) === 162);
    await assert.rejects(c5.subscribeAsync('$share/g/room'), (e) => subackCode(e) === 158); // shared n/s
    const { client: c4 } = await connectMqtt(await mqttUrl(), { protocolVersion: 4, clientId: 'wild4' });
    await assert.rejects(c4.subscribeAsync('room/#'), (e) => subackCode(e) === 128);
  });

  test('bad token, missing token and bad client ID are CONNACK refusals', { timeout: TEST_TIMEOUT_MS }, async () => {
    const good = await mqttUrl();
    const badToken = good.replace(/access_token=[^&]*/, 'access_token=not.a.token');
    await assert.rejects(connectMqtt(badToken, { protocolVersion: 4, clientId: 'bad1' }), (e) => e.code === 5);
    await assert.rejects(connectMqtt(badToken, { protocolVersion: 5, clientId: 'bad2' }), (e) => e.code === 135);
    const noToken = good.replace(/\?access_token=[^&]*/, '');
    await assert.rejects(connectMqtt(noToken, { protocolVersion: 5, clientId: 'bad3' }), (e) => e.code === 135);
    // A token for the Web PubSub endpoint has the wrong audience.
    const wrongAudience = `${(await mqttUrl()).split('?')[0]}?access_token=${(await svc.getClientAccessToken()).token}`;
    await assert.rejects(connectMqtt(wrongAudience, { protocolVersion: 4, clientId: 'bad4' }), (e) => e.code === 5);
    await assert.rejects(connectMqtt(good, { protocolVersion: 4, clientId: 'not-alnum' }), (e) => e.code === 2);
    await assert.rejects(connectMqtt(good, { protocolVersion: 5, clientId: 'not_alnum' }), (e) => e.code === 133);
    // The token may also come in the Authorization header.
    const token = good.split('access_token=')[1];
    const { client } = await connectMqtt(noToken, {
      protocolVersion: 5,
      clientId: 'byheader',
      wsOptions: { headers: { Authorization: `Bearer ${token}` } },
    });
    assert.ok(client.connected);
  });

  test('upstream: connect, connected and disconnected carry the MQTT properties the express SDK reads',
       { timeout: TEST_TIMEOUT_MS }, async () => {
         const url = await mqttUrl({ userId: 'u1' }, eventsSvc);
         const { client } = await connectMqtt(url, {
           protocolVersion: 5,
           clientId: 'evented',
           username: 'name',
           password: Buffer.from('secret'),
           properties: { userProperties: { a: 'b' } },
         });
         await waitFor(() => seen.connected.length === 1, WAIT_MS, 'the connected event');
         const connect = seen.connect[0];
         assert.equal(connect.context.clientProtocol, 'mqtt');
         assert.equal(connect.context.connectionId, 'evented');
         assert.equal(connect.context.userId, 'u1');
         assert.ok(connect.context.mqtt.physicalConnectionId, 'physicalConnectionId');
         assert.ok(connect.context.mqtt.sessionId, 'sessionId');
         assert.equal(connect.mqtt.protocolVersion, 5);
         assert.equal(connect.mqtt.username, 'name');
         assert.equal(Buffer.from(connect.mqtt.password, 'base64').toString(), 'secret');
         assert.deepEqual(connect.mqtt.userProperties, [{ name: 'a', value: 'b' }]);
         assert.equal(seen.connected[0].context.clientProtocol, 'mqtt');
         assert.equal(seen.connected[0].context.mqtt.physicalConnectionId, connect.context.mqtt.physicalConnectionId);
         client.end(false, { reasonCode: 0 });
         await waitFor(() => seen.disconnected.length === 1, WAIT_MS, 'the disconnected event');
         const disconnected = seen.disconnected[0];
         assert.equal(disconnected.context.clientProtocol, 'mqtt');
         assert.equal(disconnected.mqtt.initiatedByClient, true);
         assert.equal(disconnected.mqtt.disconnectPacket.code, 0);
       });

  test('upstream: the handler\'s refusal becomes the CONNACK code', { timeout: TEST_TIMEOUT_MS }, async () => {
    behaviour.connect = (req, res) => res.failWith({ mqtt: { code: 134, reason: 'who are you?' } });
    await assert.rejects(connectMqtt(await mqttUrl({}, eventsSvc), { protocolVersion: 5, clientId: 'refused5' }),
                         (e) => e.code === 134);
    behaviour.connect = (req, res) => res.fail(401, 'no');
    await assert.rejects(connectMqtt(await mqttUrl({}, eventsSvc), { protocolVersion: 4, clientId: 'refused4' }),
                         (e) => e.code === 5);
    assert.equal(seen.connected.length, 0);
  });

  test('sessions: clean start false resumes subscriptions and the QoS 1 messages sent while away',
       { timeout: TEST_TIMEOUT_MS }, async () => {
         for (const version of [4, 5]) {
           const id = `keeper${version}`;
           const kept = { protocolVersion: version, clientId: id, clean: false,
                          ...(version === 5 ? { properties: { sessionExpiryInterval: 300 } } : {}) };
           const { client: first, connack } = await connectMqtt(await mqttUrl(), kept);
           assert.equal(connack.sessionPresent, false);
           if (version === 5) assert.equal(connack.properties.sessionExpiryInterval, 30, 'capped at 30 s');
           await first.subscribeAsync('kept', { qos: 1 });
           first.stream.destroy(); // the network goes away without DISCONNECT
           await waitFor(() => !first.connected, WAIT_MS, 'the first connection to drop');
           await svc.group('kept').sendToAll('while away', { contentType: 'text/plain', ...rest() });
           const { client: second, connack: resumed } = await connectMqtt(await mqttUrl(), kept);
           assert.equal(resumed.sessionPresent, true);
           await waitFor(() => second.received.length === 1, WAIT_MS, 'the queued message');
           assert.equal(second.received[0].topic, 'kept');
           assert.equal(second.received[0].payload.toString(), 'while away');
           // Still subscribed, with no new SUBSCRIBE.
           await svc.group('kept').sendToAll('after', { contentType: 'text/plain', ...rest() });
           await waitFor(() => second.received.length === 2, WAIT_MS, 'a live message');
           await second.endAsync();
         }
       });
});
