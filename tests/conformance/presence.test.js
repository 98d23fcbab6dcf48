'use strict';
// Conformance: group presence events. @azure/web-pubsub-express 1.1.0 dispatches `azure.webpubsub.gp.joined` /
// `azure.webpubsub.gp.left` CloudEvents to onGroupJoined / onGroupLeft; the emulator sends them to handlers whose
// `groupPresenceEvents` ask for them (docs/emulator.md#group-presence-events). Joins and leaves come from the
// official WebSocket client SDK, from MQTT.js SUBSCRIBE / UNSUBSCRIBE, from REST calls of the service SDK, and
// from connections that close.

const { describe, test, before, after, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const express = require('express');
const mqtt = require('mqtt');
const { WebPubSubEventHandler } = require('@azure/web-pubsub-express');
const { WebPubSubServiceClient } = require('@azure/web-pubsub');
const { WebPubSubClient, WebPubSubJsonProtocol } = require('@azure/web-pubsub-client');
const { Emulator, parseConnectionString } = require('./support/emulator');
const { waitFor, nextEvent } = require('./support/wait');

const HUB = 'presencehub'; // joined + left of room* and team.** groups
const QUIET_HUB = 'quiethub'; // a handler without groupPresenceEvents: no presence events
const HANDLER_PATH = '/eventhandler';
const WAIT_MS = 10000;
const TEST_TIMEOUT_MS = 45000;
const SERVICE_OPTIONS = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };
const ROLES = ['webpubsub.joinLeaveGroup', 'webpubsub.sendToGroup'];

const emulator = new Emulator();
let accessKey = '';
let svc = null;
let quietSvc = null;
let server = null;
let configFile = '';
const liveClients = new Set();

/** Everything the handlers saw: { hub, kind: 'joined' | 'left' | 'connected' | 'disconnected', req } in order. */
let seen = [];
let posts = [];

function makeApp() {
  const app = express();
  app.use((req, res, next) => {
    if (req.method === 'POST') posts.push({ path: req.path, headers: { ...req.headers } });
    next();
  });
  for (const hub of [HUB, QUIET_HUB]) {
    app.use(new WebPubSubEventHandler(hub, {
      path: `${HANDLER_PATH}/${hub}`,
      onConnected: (req) => seen.push({ hub, kind: 'connected', req }),
      onDisconnected: (req) => seen.push({ hub, kind: 'disconnected', req }),
      onGroupJoined: (req) => seen.push({ hub, kind: 'joined', req }),
      onGroupLeft: (req) => seen.push({ hub, kind: 'left', req }),
    }).getMiddleware());
  }
  return app;
}

function signatureValid(header, connectionId) {
  const expected = crypto.createHmac('sha256', Buffer.from(accessKey, 'utf8')).update(connectionId, 'utf8')
                       .digest('hex');
  return String(header || '').split(',').map((s) => s.trim().toLowerCase()).includes(`sha256=${expected}`);
}

/** "joined:room1" labels of one connection's presence events, in arrival order. */
function presenceOf(connectionId) {
  return seen.filter((e) => (e.kind === 'joined' || e.kind === 'left') && e.req.context.connectionId === connectionId)
             .map((e) => `${e.kind}:${e.req.group}`);
}

async function waitPresence(connectionId, n) {
  await waitFor(() => presenceOf(connectionId).length >= n, WAIT_MS,
                () => `${n} presence events of ${connectionId} (have ${JSON.stringify(presenceOf(connectionId))})`);
}

/** The same labels sorted: deliveries run in parallel, so two events may reach the handler in either order
 *  (their ce-id says which came first; ceIdOrder() checks that). */
const sorted = (list) => [...list].sort();

/** The ce-eventname of one connection's events in ce-id order. */
function ceIdOrder(connectionId) {
  return posts.filter((p) => p.headers['ce-connectionid'] === connectionId)
              .map((p) => [Number(p.headers['ce-id']), p.headers['ce-eventname']])
              .sort((x, y) => x[0] - y[0]).map((x) => x[1]);
}

function newClient(url) {
  const client = new WebPubSubClient(url, {
    protocol: WebPubSubJsonProtocol(),
    autoReconnect: false,
    autoRejoinGroups: false,
    messageRetryOptions: { maxRetries: 0 },
    // The SDK's keep-alive tasks sleep out their interval after stop(): short ones let node exit promptly.
    keepAliveIntervalInMs: 2000,
    keepAliveTimeoutInMs: 15000,
  });
  liveClients.add(client);
  return client;
}

async function startConnected(client) {
  const connected = nextEvent(client, 'connected', WAIT_MS);
  await client.start({ abortSignal: AbortSignal.timeout(WAIT_MS) });
  return connected;
}

const rest = () => ({ abortSignal: AbortSignal.timeout(WAIT_MS) });

describe('group presence events through WebPubSubEventHandler (@azure/web-pubsub-express 1.1.0)',
         { timeout: 300000 }, () => {
  before(async () => {
    server = makeApp().listen(0, '127.0.0.1');
    await new Promise((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const port = server.address().port;
    const handler = (hub, presence) => ({
      urlTemplate: `http://127.0.0.1:${port}${HANDLER_PATH}/{hub}/{event}`,
      systemEvents: ['connected', 'disconnected'],
      ...(presence ? { groupPresenceEvents: presence } : {}),
    });
    configFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wps-presence-')), 'emulator.json');
    fs.writeFileSync(configFile, JSON.stringify({
      hubs: {
        [HUB]: { eventHandlers: [handler(HUB, { eventNames: ['joined', 'left'], groupFilters: ['room*', 'team.**'] })] },
        [QUIET_HUB]: { eventHandlers: [handler(QUIET_HUB, null)] },
      },
    }));
    const cs = await emulator.start(['--config', configFile]);
    accessKey = parseConnectionString(cs).accessKey;
    svc = new WebPubSubServiceClient(cs, HUB, SERVICE_OPTIONS);
    quietSvc = new WebPubSubServiceClient(cs, QUIET_HUB, SERVICE_OPTIONS);
  });

  afterEach(() => {
    for (const c of liveClients) {
      if (typeof c.stop === 'function') c.stop();
      else if (typeof c.end === 'function') c.end(true);
    }
    liveClients.clear();
  });

  after(async () => {
    await emulator.stop();
    if (server) {
      const closed = new Promise((resolve) => server.close(() => resolve()));
      if (server.closeAllConnections) server.closeAllConnections(); // keep-alive sockets would hold close()
      await closed;
    }
    if (configFile) fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
  });

  test('client joinGroup / leaveGroup reach onGroupJoined / onGroupLeft with the group and the context',
       { timeout: TEST_TIMEOUT_MS }, async () => {
         const c = newClient((await svc.getClientAccessToken({ userId: 'alice', roles: ROLES })).url);
         const { connectionId } = await startConnected(c);
         await c.joinGroup('room1');
         await c.leaveGroup('room1');
         await waitPresence(connectionId, 2);
         assert.deepEqual(sorted(presenceOf(connectionId)), ['joined:room1', 'left:room1']);
         assert.deepEqual(ceIdOrder(connectionId), ['connected', 'joined', 'left']);
         const joined = seen.find((e) => e.kind === 'joined' && e.req.context.connectionId === connectionId).req;
         assert.equal(joined.group, 'room1');
         assert.equal(joined.context.userId, 'alice');
         assert.equal(joined.context.hub, HUB);
         assert.equal(joined.context.eventName, 'joined');
         assert.ok(signatureValid(joined.context.signature, connectionId), `signature ${joined.context.signature}`);
         const post = posts.find((p) => p.headers['ce-type'] === 'azure.webpubsub.gp.left' &&
                                        p.headers['ce-connectionid'] === connectionId);
         assert.ok(post, 'a left POST');
         assert.equal(post.path, `${HANDLER_PATH}/${HUB}/left`);
         assert.equal(post.headers['ce-eventname'], 'left');
         assert.equal(post.headers['ce-source'], `/hubs/${HUB}/client/${connectionId}`);
         assert.match(post.headers['content-type'], /^application\/json/);
       });

  test('group filters are honoured; a handler without groupPresenceEvents gets none', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const c = newClient((await svc.getClientAccessToken({ userId: 'bob', roles: ROLES })).url);
         const { connectionId } = await startConnected(c);
         await c.joinGroup('lobby'); // outside room* and team.**
         await c.joinGroup('team.red.b');
         await c.joinGroup('Room2'); // filters are case-sensitive, like group names
         await c.joinGroup('room2');
         await c.leaveGroup('lobby');
         await c.joinGroup('room-zz'); // the last one: once it arrived, the others had their chance
         await waitPresence(connectionId, 3);

         const q = newClient((await quietSvc.getClientAccessToken({ userId: 'quiet', roles: ROLES })).url);
         const { connectionId: quietId } = await startConnected(q);
         await q.joinGroup('room1');
         await q.leaveGroup('room1');
         q.stop();
         await waitFor(() => seen.some((e) => e.kind === 'disconnected' && e.req.context.connectionId === quietId),
                       WAIT_MS, 'the quiet connection\'s disconnected event');
         assert.deepEqual(sorted(presenceOf(connectionId)), ['joined:room-zz', 'joined:room2', 'joined:team.red.b']);
         assert.deepEqual(presenceOf(quietId), []);
       });

  test('REST joins and leaves: connection, user, all groups, bulk by filter', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const a = newClient((await svc.getClientAccessToken({ userId: 'carol', roles: ROLES })).url);
         const b = newClient((await svc.getClientAccessToken({ userId: 'dave', roles: ROLES })).url);
         const { connectionId: aId } = await startConnected(a);
         const { connectionId: bId } = await startConnected(b);
         await svc.group('room-rest').addConnection(aId, rest());
         await svc.group('room-user').addUser('dave', rest());
         await svc.addConnectionsToGroups(['room-bulk'], "userId eq 'carol'", rest());
         await waitPresence(aId, 2);
         await waitPresence(bId, 1);
         await svc.group('room-rest').removeConnection(aId, rest());
         await svc.group('room-user').removeUser('dave', rest());
         await svc.removeConnectionsFromGroups(['room-bulk'], "userId eq 'carol'", rest());
         await svc.group('room-again').addUser('carol', rest());
         await svc.removeUserFromAllGroups('carol', rest());
         await svc.group('room-last').addConnection(bId, rest());
         await svc.removeConnectionFromAllGroups(bId, rest());
         await waitPresence(aId, 6);
         await waitPresence(bId, 4);
         assert.deepEqual(sorted(presenceOf(aId)), ['joined:room-again', 'joined:room-bulk', 'joined:room-rest',
                                                    'left:room-again', 'left:room-bulk', 'left:room-rest']);
         assert.deepEqual(sorted(presenceOf(bId)), ['joined:room-last', 'joined:room-user', 'left:room-last',
                                                    'left:room-user']);
         assert.deepEqual(ceIdOrder(aId), ['connected', 'joined', 'joined', 'left', 'left', 'joined', 'left']);
       });

  test('a closing connection leaves each of its groups, before its disconnected event', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const c = newClient((await svc.getClientAccessToken({ userId: 'erin', roles: ROLES, groups: ['room-token'] })).url);
         const { connectionId } = await startConnected(c);
         await c.joinGroup('room-x');
         await c.joinGroup('lobby-x'); // not in the filters: no events either way
         await waitPresence(connectionId, 2);
         c.stop();
         await waitFor(() => seen.some((e) => e.kind === 'disconnected' && e.req.context.connectionId === connectionId),
                       WAIT_MS, 'the disconnected event');
         await waitPresence(connectionId, 4);
         assert.deepEqual(sorted(presenceOf(connectionId)), ['joined:room-token', 'joined:room-x', 'left:room-token',
                                                             'left:room-x']);
         assert.deepEqual(ceIdOrder(connectionId), ['connected', 'joined', 'joined', 'left', 'left', 'disconnected']);

         // Closed by REST: the same.
         const d = newClient((await svc.getClientAccessToken({ userId: 'frank', roles: ROLES })).url);
         const { connectionId: dId } = await startConnected(d);
         await d.joinGroup('room-y');
         await waitPresence(dId, 1);
         await svc.closeConnection(dId, { reason: 'bye', ...rest() });
         await waitPresence(dId, 2);
         assert.deepEqual(presenceOf(dId), ['joined:room-y', 'left:room-y']);
       });

  test('MQTT.js SUBSCRIBE / UNSUBSCRIBE join and leave the topic\'s group', { timeout: TEST_TIMEOUT_MS },
       async () => {
         const url = (await svc.getClientAccessToken({ clientProtocol: 'mqtt', userId: 'gina', roles: ROLES })).url;
         const client = mqtt.connect(url, { protocolVersion: 5, clientId: 'presence1', reconnectPeriod: 0,
                                            connectTimeout: WAIT_MS, clean: true });
         liveClients.add(client);
         await new Promise((resolve, reject) => {
           client.once('connect', resolve);
           client.once('error', reject);
         });
         await client.subscribeAsync('room-mqtt', { qos: 1 });
         await client.unsubscribeAsync('room-mqtt');
         await waitPresence('presence1', 2);
         assert.deepEqual(sorted(presenceOf('presence1')), ['joined:room-mqtt', 'left:room-mqtt']);
         const joined = seen.find((e) => e.kind === 'joined' && e.req.context.connectionId === 'presence1').req;
         assert.equal(joined.context.userId, 'gina');
         assert.equal(joined.context.clientProtocol, 'mqtt');
         assert.ok(joined.context.mqtt && joined.context.mqtt.physicalConnectionId, 'ce-physicalConnectionId');
       });
});
