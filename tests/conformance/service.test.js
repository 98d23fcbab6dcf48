'use strict';
// Conformance: Microsoft's official service SDK (@azure/web-pubsub, WebPubSubServiceClient) against our
// emulator. Every public operation of the SDK is called over loopback and what the SDK returns is checked
// against the real service's recorded behaviour (docs/protocol.md#rest-api,
// docs/protocol.md#emulator-fidelity, docs/conformance.md). The emulator has no WebSocket clients yet, so
// every connection/user/group is unknown here.

const { describe, test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');

const { WebPubSubServiceClient, AzureKeyCredential, odata } = require('@azure/web-pubsub');
const { Emulator, parseConnectionString, redact } = require('./support/emulator');

const HUB = 'conformance';
const REQUEST_TIMEOUT_MS = 10000; // one SDK call
const TEST_TIMEOUT_MS = 30000; // one test
const SUPPORTED_VERSIONS = '2021-10-01, 2022-11-01, 2023-07-01, 2024-01-01, 2024-12-01';

// No SDK retries: a wrong answer must surface at once, not after exponential back-off.
const CLIENT_OPTIONS = { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } };

const emulator = new Emulator();
let cs = '';
let parsedCs = null;
let client = null;

/**
 * Runs one SDK call with a bounded abort signal and captures the raw HTTP response the SDK saw.
 * Returns { result, response } where response is the core-rest-pipeline PipelineResponse.
 */
async function call(fn) {
  let response = null;
  const options = {
    abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    onResponse: (raw) => {
      response = raw;
    },
  };
  const result = await fn(options);
  return { result, response };
}

/** The request line the SDK sent, for assertion messages (never includes the Authorization header). */
function describeRequest(response) {
  if (!response || !response.request) return '(no response)';
  const r = response.request;
  return `${r.method} ${r.url} -> ${response.status} ${response.bodyAsText || ''}`;
}

/** Asserts a successful call answered exactly `status`, and that data-plane answers name the API versions. */
function assertStatus(response, status) {
  assert.ok(response, 'SDK reported no response');
  assert.equal(response.status, status, describeRequest(response));
  assert.equal(response.headers.get('api-supported-versions'), SUPPORTED_VERSIONS,
               `api-supported-versions on ${describeRequest(response)}`);
}

/**
 * Expects `promise` to reject with the SDK's RestError of HTTP `status`; when `code` is given, also expects
 * the service's error code in the parsed body (RestError.code) and in the x-ms-error-code header.
 * Returns the error for further checks.
 */
async function expectRestError(promise, status, code) {
  let caught = null;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught, `expected a RestError ${status}${code ? ' ' + code : ''}, but the call succeeded`);
  assert.equal(caught.name, 'RestError', `not a RestError: ${caught && caught.stack}`);
  assert.equal(caught.statusCode, status, describeRequest(caught.response));
  if (code) {
    assert.equal(caught.code, code, `RestError.code of ${describeRequest(caught.response)}`);
    assert.equal(caught.response.headers.get('x-ms-error-code'), code, 'x-ms-error-code header');
  }
  return caught;
}

/** Asserts the raw 404 a HEAD existence check got: no body, the service's code in x-ms-error-code. */
function assertHead404(response, code) {
  assert.ok(response, 'SDK reported no response');
  assert.equal(response.request.method, 'HEAD');
  assert.equal(response.status, 404, describeRequest(response));
  assert.equal(response.headers.get('x-ms-error-code'), code, `x-ms-error-code on ${describeRequest(response)}`);
  assert.ok(!response.bodyAsText, 'a HEAD answer has no body');
}

/** Decodes a JWT without verifying it; verifies HS256 over the UTF-8 bytes of `key` when given. */
function decodeJwt(token, key) {
  const [h, p, s] = token.split('.');
  assert.ok(h && p && s, 'token has three parts');
  if (key !== undefined) {
    const expected = crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(`${h}.${p}`).digest('base64url');
    assert.equal(s, expected, 'token is signed HS256 with the access key');
  }
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')),
  };
}

/** Signs `claims` (plus iat/exp, one hour) as an HS256 JWT with the UTF-8 bytes of `key`. */
function signJwt(claims, key) {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o) => Buffer.from(JSON.stringify(o), 'utf8').toString('base64url');
  const data = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ iat: now, exp: now + 3600, ...claims })}`;
  return `${data}.${crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(data).digest('base64url')}`;
}

/** Roles claim as an array (a JWT may carry a single role as a plain string). */
function asArray(v) {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

describe('WebPubSubServiceClient (@azure/web-pubsub) against the emulator', { timeout: 150000 }, () => {
  before(async () => {
    cs = await emulator.start();
    parsedCs = parseConnectionString(cs);
    client = new WebPubSubServiceClient(cs, HUB, CLIENT_OPTIONS);
  });

  after(async () => {
    await emulator.stop();
  });

  describe('startup', () => {
    test('prints a loopback connection string the SDK accepts', { timeout: TEST_TIMEOUT_MS }, () => {
      assert.match(parsedCs.endpoint || '', /^http:\/\/127\.0\.0\.1:\d+\/?$/, `endpoint of ${redact(cs)}`);
      assert.ok(parsedCs.accessKey && parsedCs.accessKey.length >= 32, 'AccessKey of at least 32 characters');
      assert.equal(client.hubName, HUB);
      assert.equal(client.apiVersion, '2024-12-01');
      assert.ok(client.endpoint.startsWith('http://127.0.0.1:'), client.endpoint);
      assert.ok(emulator.running(), 'emulator still runs');
    });
  });

  describe('health', () => {
    // Not public API of WebPubSubServiceClient 1.2.0: the generated client's healthApi is the SDK's own
    // operation for HEAD /api/health, reached through the (TypeScript-private) `client` member.
    test('healthApi.getServiceStatus -> HEAD /api/health 200', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client['client'].healthApi.getServiceStatus(o));
      assert.equal(response.request.method, 'HEAD');
      assert.equal(new URL(response.request.url).pathname, '/api/health');
      assert.equal(response.status, 200, describeRequest(response));
      assert.ok(!response.bodyAsText, 'health has no body');
    });
  });

  describe('send', () => {
    test('sendToAll json -> 202', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.sendToAll({ hello: 'world' }, o));
      assertStatus(response, 202);
      assert.equal(response.request.headers.get('content-type'), 'application/json');
      assert.equal(response.request.body, '{"hello":"world"}');
    });

    test('sendToAll of a plain string without contentType is sent as JSON -> 202', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const { response } = await call((o) => client.sendToAll('just text', o));
           assertStatus(response, 202);
           assert.equal(response.request.headers.get('content-type'), 'application/json');
           assert.equal(response.request.body, '"just text"');
         });

    test('sendToAll text -> 202', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.sendToAll('hello', { ...o, contentType: 'text/plain' }));
      assertStatus(response, 202);
      assert.equal(response.request.headers.get('content-type'), 'text/plain');
    });

    test('sendToAll binary (Buffer, Uint8Array, ArrayBuffer) -> 202', { timeout: TEST_TIMEOUT_MS }, async () => {
      for (const payload of [Buffer.from([1, 2, 3]), new Uint8Array([0, 255]), new ArrayBuffer(4)]) {
        const { response } = await call((o) => client.sendToAll(payload, o));
        assertStatus(response, 202);
        assert.equal(response.request.headers.get('content-type'), 'application/octet-stream');
      }
    });

    test('sendToAll with excluded, filter and messageTtlSeconds -> 202', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.sendToAll({ a: 1 }, {
        ...o,
        excludedConnections: ['c1', 'c2'],
        filter: odata`userId ne ${"bob's"} and 'g1' in groups`,
        messageTtlSeconds: 60,
      }));
      assertStatus(response, 202);
      const q = new URL(response.request.url).searchParams;
      assert.deepEqual(q.getAll('excluded'), ['c1', 'c2']);
      assert.equal(q.get('filter'), "userId ne 'bob''s' and 'g1' in groups");
      assert.equal(q.get('messageTtlSeconds'), '60');
    });

    test('sendToAll text with messageTtlSeconds 0 and 300 (range ends) -> 202', { timeout: TEST_TIMEOUT_MS },
         async () => {
           for (const ttl of [0, 300]) {
             const { response } = await call((o) => client.sendToAll('t', {
               ...o, contentType: 'text/plain', messageTtlSeconds: ttl,
             }));
             assertStatus(response, 202);
           }
         });

    test('messageTtlSeconds out of range (301) -> RestError 400 Error.BadRequest', { timeout: TEST_TIMEOUT_MS },
         async () => {
           await expectRestError(client.sendToAll({ a: 1 }, {
             messageTtlSeconds: 301, abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 400, 'Error.BadRequest');
           await expectRestError(client.group('group1').sendToAll('t', {
             contentType: 'text/plain', messageTtlSeconds: 301, abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 400, 'Error.BadRequest');
         });

    test('sendToAll with an invalid filter -> RestError 400 Error.BadRequest', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const err = await expectRestError(client.sendToAll({ a: 1 }, {
             filter: 'invalid filter', abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 400);
           assertBadRequestBody(err);
         });

    test('sendToUser json/text/binary, with filter and TTL, to an unknown user -> 202', { timeout: TEST_TIMEOUT_MS },
         async () => {
           let r = await call((o) => client.sendToUser('nobody', { hi: 1 }, o));
           assertStatus(r.response, 202);
           assert.equal(new URL(r.response.request.url).pathname, `/api/hubs/${HUB}/users/nobody/:send`);
           r = await call((o) => client.sendToUser('nobody', 'hi', { ...o, contentType: 'text/plain' }));
           assertStatus(r.response, 202);
           r = await call((o) => client.sendToUser('nobody', Buffer.from('hi'), {
             ...o, filter: "'g1' in groups", messageTtlSeconds: 5,
           }));
           assertStatus(r.response, 202);
         });

    test('sendToConnection json/text/binary with TTL to an unknown connection -> 202', { timeout: TEST_TIMEOUT_MS },
         async () => {
           let r = await call((o) => client.sendToConnection('fake-connection-id', { hi: 1 }, o));
           assertStatus(r.response, 202);
           assert.equal(new URL(r.response.request.url).pathname,
                        `/api/hubs/${HUB}/connections/fake-connection-id/:send`);
           r = await call((o) => client.sendToConnection('fake-connection-id', 'hi', {
             ...o, contentType: 'text/plain', messageTtlSeconds: 60,
           }));
           assertStatus(r.response, 202);
           r = await call((o) => client.sendToConnection('fake-connection-id', new Uint8Array([9]), o));
           assertStatus(r.response, 202);
         });

    test('group(g).sendToAll json/text/binary with excluded, filter, TTL -> 202', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const g = client.group('group1');
           let r = await call((o) => g.sendToAll({ hi: 1 }, o));
           assertStatus(r.response, 202);
           assert.equal(new URL(r.response.request.url).pathname, `/api/hubs/${HUB}/groups/group1/:send`);
           r = await call((o) => g.sendToAll('hi', { ...o, contentType: 'text/plain' }));
           assertStatus(r.response, 202);
           r = await call((o) => g.sendToAll(Buffer.from([1]), {
             ...o, excludedConnections: ['c1'], filter: "userId eq 'u1'", messageTtlSeconds: 10,
           }));
           assertStatus(r.response, 202);
         });

    test('names that need percent-encoding reach the emulator -> 202', { timeout: TEST_TIMEOUT_MS }, async () => {
      let r = await call((o) => client.sendToUser('alice smith', 'x', { ...o, contentType: 'text/plain' }));
      assertStatus(r.response, 202);
      r = await call((o) => client.group('group 1/ä').sendToAll('x', { ...o, contentType: 'text/plain' }));
      assertStatus(r.response, 202);
    });
  });

  describe('existence checks (nothing is connected)', () => {
    test('connectionExists(unknown) -> false (404 Warning.Connection.NotExisted)', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const { result, response } = await call((o) => client.connectionExists('fake-connection-id', o));
           assert.equal(result, false);
           assertHead404(response, 'Warning.Connection.NotExisted');
         });

    test('userExists(unknown) -> false (404 Warning.User.NotExisted)', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { result, response } = await call((o) => client.userExists('nobody', o));
      assert.equal(result, false);
      assertHead404(response, 'Warning.User.NotExisted');
    });

    test('groupExists(unknown) -> false (404 Warning.Group.NotExisted)', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { result, response } = await call((o) => client.groupExists('no-such-group', o));
      assert.equal(result, false);
      assertHead404(response, 'Warning.Group.NotExisted');
    });

    test('hasPermission(unknown) -> false (404 Info.Connection.NotExisted)', { timeout: TEST_TIMEOUT_MS },
         async () => {
           for (const permission of ['joinLeaveGroup', 'sendToGroup']) {
             const { result, response } = await call((o) => client.hasPermission('fake-connection-id', permission, {
               ...o, targetName: 'group1',
             }));
             assert.equal(result, false);
             assertHead404(response, 'Info.Connection.NotExisted');
             assert.equal(new URL(response.request.url).searchParams.get('targetName'), 'group1');
           }
         });
  });

  describe('close connections (nothing matches)', () => {
    test('closeConnection(unknown, reason) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.closeConnection('fake-connection-id', { ...o, reason: 'bye now' }));
      assertStatus(response, 204);
      assert.equal(response.request.method, 'DELETE');
      assert.equal(new URL(response.request.url).searchParams.get('reason'), 'bye now');
    });

    test('closeAllConnections(reason) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.closeAllConnections({ ...o, reason: 'maintenance' }));
      assertStatus(response, 204);
      assert.equal(new URL(response.request.url).pathname, `/api/hubs/${HUB}/:closeConnections`);
    });

    test('closeAllConnections() without reason -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.closeAllConnections(o));
      assertStatus(response, 204);
    });

    test('closeUserConnections(unknown, reason) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.closeUserConnections('nobody', { ...o, reason: 'r' }));
      assertStatus(response, 204);
      assert.equal(new URL(response.request.url).pathname, `/api/hubs/${HUB}/users/nobody/:closeConnections`);
    });

    test('group(g).closeAllConnections(reason) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.group('group1').closeAllConnections({ ...o, reason: 'r' }));
      assertStatus(response, 204);
      assert.equal(new URL(response.request.url).pathname, `/api/hubs/${HUB}/groups/group1/:closeConnections`);
    });
  });

  describe('group membership (nothing is connected)', () => {
    test('group(g).addConnection(unknown) -> RestError 404 Error.Connection.NotExisted', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const err = await expectRestError(client.group('group1').addConnection('fake-connection-id', {
             abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 404, 'Error.Connection.NotExisted');
           assert.equal(err.message, 'Connection `fake-connection-id` is not found.');
           assert.equal(err.response.parsedBody && err.response.parsedBody.target, 'Connection');
         });

    test('group(g).removeConnection(unknown) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.group('group1').removeConnection('fake-connection-id', o));
      assertStatus(response, 204);
    });

    test('group(g).addUser(user without connections) -> RestError 404 Warning.User.NotExisted',
         { timeout: TEST_TIMEOUT_MS }, async () => {
           const err = await expectRestError(client.group('group1').addUser('nobody', {
             abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 404, 'Warning.User.NotExisted');
           assert.equal(err.message, 'User `nobody` is not found.');
           assert.equal(err.response.parsedBody && err.response.parsedBody.target, 'User');
         });

    test('group(g).removeUser(unknown) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.group('group1').removeUser('nobody', o));
      assertStatus(response, 204);
    });

    test('removeUserFromAllGroups(unknown) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.removeUserFromAllGroups('nobody', o));
      assertStatus(response, 204);
      assert.equal(new URL(response.request.url).pathname, `/api/hubs/${HUB}/users/nobody/groups`);
    });

    test('removeConnectionFromAllGroups(unknown) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.removeConnectionFromAllGroups('fake-connection-id', o));
      assertStatus(response, 204);
      assert.equal(new URL(response.request.url).pathname, `/api/hubs/${HUB}/connections/fake-connection-id/groups`);
    });

    test('addConnectionsToGroups(groups, filter matching nothing) -> 200', { timeout: TEST_TIMEOUT_MS }, async () => {
      const { response } = await call((o) => client.addConnectionsToGroups(['g1', 'g2'], "userId eq 'nobody'", o));
      assertStatus(response, 200);
      assert.deepEqual(JSON.parse(response.request.body), { groups: ['g1', 'g2'], filter: "userId eq 'nobody'" });
      assert.ok(!response.bodyAsText, 'no body');
    });

    test('removeConnectionsFromGroups(groups, filter matching nothing) -> 200', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const { response } = await call((o) => client.removeConnectionsFromGroups(['g1'], "'g1' in groups", o));
           assertStatus(response, 200);
           assert.equal(new URL(response.request.url).pathname, `/api/hubs/${HUB}/:removeFromGroups`);
         });

    test('addConnectionsToGroups with an invalid filter -> RestError 400 (recorded problem document)',
         { timeout: TEST_TIMEOUT_MS }, async () => {
           const err = await expectRestError(client.addConnectionsToGroups(['g1'], 'invalid filter', {
             abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 400);
           const body = assertBadRequestBody(err);
           assert.equal(body.target, 'Filter');
           const recorded = "Invalid syntax for 'invalid filter': Syntax error at position 14 in 'invalid filter'. " +
                            "(Parameter 'filter')";
           assert.equal(body.message, recorded);
           assert.deepEqual(body.errors, { Filter: [recorded] });
           assert.equal(body.title, 'One or more validation errors occurred.');
           assert.equal(body.status, 400);
         });

    test('removeConnectionsFromGroups with an invalid filter -> RestError 400', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const err = await expectRestError(client.removeConnectionsFromGroups(['g1'], "userId eq 'unterminated", {
             abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 400);
           assertBadRequestBody(err);
         });

    test('group(g).listConnections on an empty group -> no members', { timeout: TEST_TIMEOUT_MS }, async () => {
      const members = [];
      let response = null;
      const iter = await client.group('group1').listConnections({
        abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        onResponse: (raw) => {
          response = raw;
        },
      });
      for await (const m of iter) members.push(m);
      assert.deepEqual(members, []);
      assertStatus(response, 200);
      assert.deepEqual(JSON.parse(response.bodyAsText), { value: [] });
    });

    test('group(g).listConnections paging with maxPageSize and top -> one empty page, no continuation',
         { timeout: TEST_TIMEOUT_MS }, async () => {
           const requests = [];
           const iter = await client.group('no-such-group').listConnections({
             maxPageSize: 2,
             top: 5,
             abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
             onResponse: (raw) => {
               requests.push(raw);
             },
           });
           const pages = [];
           for await (const page of iter.byPage()) {
             pages.push(page);
             assert.ok(pages.length <= 10, 'bounded paging');
           }
           assert.equal(pages.length, 1);
           assert.deepEqual([...pages[0]], []);
           assert.equal(pages[0].continuationToken, undefined);
           assert.equal(requests.length, 1);
           const q = new URL(requests[0].request.url).searchParams;
           assert.equal(q.get('maxpagesize'), '2');
           assert.equal(q.get('top'), '5');
           assertStatus(requests[0], 200);
         });
  });

  describe('permissions (nothing is connected)', () => {
    test('grantPermission(unknown, targetName) -> RestError 404 Info.Connection.NotExisted',
         { timeout: TEST_TIMEOUT_MS }, async () => {
           const err = await expectRestError(client.grantPermission('fake-connection-id', 'joinLeaveGroup', {
             targetName: 'group1', abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 404, 'Info.Connection.NotExisted');
           assert.equal(err.message, 'Connection `fake-connection-id` is not found.');
           assert.equal(err.response.parsedBody && err.response.parsedBody.target, 'Connection');
         });

    test('revokePermission(unknown, targetName) -> 204', { timeout: TEST_TIMEOUT_MS }, async () => {
      for (const permission of ['joinLeaveGroup', 'sendToGroup']) {
        const { response } = await call((o) => client.revokePermission('fake-connection-id', permission, {
          ...o, targetName: 'group1',
        }));
        assertStatus(response, 204);
        assert.equal(new URL(response.request.url).pathname,
                     `/api/hubs/${HUB}/permissions/${permission}/connections/fake-connection-id`);
      }
    });

    test('revokePermission without targetName -> RestError 400 Error.BadRequest', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const err = await expectRestError(client.revokePermission('fake-connection-id', 'sendToGroup', {
             abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), 400, 'Error.BadRequest');
           assert.equal(err.message,
                        'Invalid group name. Valid group name should be in between 1 and 1024 characters long.');
           assert.equal(err.response.parsedBody && err.response.parsedBody.target, 'Request');
         });
  });

  describe('client access tokens', () => {
    test('getClientAccessToken with the key signs locally (no HTTP call)', { timeout: TEST_TIMEOUT_MS }, async () => {
      let responses = 0;
      const token = await client.getClientAccessToken({
        userId: 'alice',
        roles: ['webpubsub.joinLeaveGroup.group1', 'webpubsub.sendToGroup'],
        groups: ['group1'],
        expirationTimeInMinutes: 5,
        onResponse: () => {
          responses += 1;
        },
      });
      assert.equal(responses, 0, 'a key credential needs no :generateToken call');
      const port = new URL(parsedCs.endpoint).port;
      assert.equal(token.baseUrl, `ws://127.0.0.1:${port}/client/hubs/${HUB}`);
      assert.equal(token.url, `${token.baseUrl}?access_token=${token.token}`);
      const { header, payload } = decodeJwt(token.token, parsedCs.accessKey);
      assert.equal(header.alg, 'HS256');
      assert.equal(payload.aud, `http://127.0.0.1:${port}/client/hubs/${HUB}`);
      assert.equal(payload.sub, 'alice');
      assert.deepEqual(payload.role, ['webpubsub.joinLeaveGroup.group1', 'webpubsub.sendToGroup']);
      assert.deepEqual(payload['webpubsub.group'], ['group1']);
      assert.equal(payload.exp - payload.iat, 5 * 60);
    });

    test('getClientAccessToken clientProtocol mqtt/socketio picks the client path', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const mqtt = await client.getClientAccessToken({ clientProtocol: 'mqtt' });
           assert.match(mqtt.baseUrl, new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/clients/mqtt/hubs/${HUB}$`));
           const sio = await client.getClientAccessToken({ clientProtocol: 'socketio' });
           assert.match(sio.baseUrl, new RegExp(`^ws://127\\.0\\.0\\.1:\\d+/clients/socketio/hubs/${HUB}$`));
           assert.equal(decodeJwt(mqtt.token).payload.sub, undefined, 'no userId -> no sub');
         });

    // The SDK calls :generateToken only with a TokenCredential, and core-rest-pipeline refuses bearer tokens
    // over plain http. So the emulator's :generateToken is driven with the SDK's own generated operation
    // through the key-credential pipeline (the same request the SDK would send, signed with the access key).
    test('generateClientToken (POST :generateToken) -> 200 with a token for the hub', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const { result, response } = await call((o) => client['client'].webPubSub.generateClientToken(HUB, {
             ...o,
             userId: 'bob',
             roles: ['webpubsub.sendToGroup.group1', 'webpubsub.joinLeaveGroup.group1'],
             groups: ['group1', 'group2'],
             expirationTimeInMinutes: 7,
           }));
           assertStatus(response, 200);
           const q = new URL(response.request.url).searchParams;
           assert.equal(q.get('userId'), 'bob');
           assert.deepEqual(q.getAll('role'), ['webpubsub.sendToGroup.group1', 'webpubsub.joinLeaveGroup.group1']);
           assert.deepEqual(q.getAll('group'), ['group1', 'group2']);
           assert.equal(q.get('minutesToExpire'), '7');
           assert.equal(typeof result.token, 'string');
           const { payload } = decodeJwt(result.token);
           assert.equal(payload.sub, 'bob');
           assert.deepEqual(asArray(payload.role).sort(),
                            ['webpubsub.joinLeaveGroup.group1', 'webpubsub.sendToGroup.group1']);
           assert.deepEqual(asArray(payload['webpubsub.group']).sort(), ['group1', 'group2']);
           assert.match(String(payload.aud), new RegExp(`/client/hubs/${HUB}$`, 'i'));
           assert.equal(payload.exp - payload.iat, 7 * 60);
         });

    test('generateClientToken without options -> 200, token valid about 60 minutes', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const { result, response } = await call((o) => client['client'].webPubSub.generateClientToken(HUB, o));
           assertStatus(response, 200);
           const { payload } = decodeJwt(result.token);
           assert.equal(payload.exp - payload.iat, 60 * 60);
           assert.equal(payload.sub, undefined);
         });

    test('getClientAccessToken with a TokenCredential over http is refused by the SDK itself',
         { timeout: TEST_TIMEOUT_MS }, async () => {
           let asked = 0;
           const credential = {
             getToken: async () => {
               asked += 1;
               return { token: 'not-used', expiresOnTimestamp: Date.now() + 3600000 };
             },
           };
           const entraClient = new WebPubSubServiceClient(parsedCs.endpoint, credential, HUB, CLIENT_OPTIONS);
           await assert.rejects(entraClient.getClientAccessToken({
             userId: 'x', abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
           }), /Bearer token authentication is not permitted for non-TLS protected \(non-https\) URLs/);
           assert.equal(asked, 0);
         });

    // The SDK's own :generateToken path: a TokenCredential client on an https:// endpoint, plus a test-only
    // policy that runs after signing and turns https into http (the emulator speaks plain HTTP; this stands in
    // for a TLS terminator). The credential hands out an access-key JWT for the :generateToken URL, which a
    // key-validating service accepts (audience = request URL without the query,
    // docs/protocol.md#emulator-fidelity).
    test('getClientAccessToken with a TokenCredential -> SDK calls :generateToken -> 200', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const port = new URL(parsedCs.endpoint).port;
           const audience = `http://127.0.0.1:${port}/api/hubs/${HUB}/:generateToken`;
           const scopes = [];
           const credential = {
             getToken: async (scope) => {
               scopes.push(scope);
               return { token: signJwt({ aud: audience }, parsedCs.accessKey), expiresOnTimestamp: Date.now() + 600000 };
             },
           };
           const entraClient = new WebPubSubServiceClient(`https://127.0.0.1:${port}`, credential, HUB, CLIENT_OPTIONS);
           entraClient['client'].pipeline.addPolicy({
             name: 'wpsTestTlsTerminator',
             sendRequest: (request, next) => {
               request.url = request.url.replace(/^https:/, 'http:');
               return next(request);
             },
           }, { afterPhase: 'Sign' });
           let response = null;
           const token = await entraClient.getClientAccessToken({
             userId: 'carol',
             roles: ['webpubsub.sendToGroup'],
             groups: ['group3'],
             expirationTimeInMinutes: 3,
             abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
             onResponse: (raw) => {
               response = raw;
             },
           });
           assert.deepEqual(scopes.flat(), ['https://webpubsub.azure.com/.default']);
           assertStatus(response, 200);
           assert.equal(response.request.method, 'POST');
           assert.equal(new URL(response.request.url).pathname, `/api/hubs/${HUB}/:generateToken`);
           assert.equal(token.baseUrl, `wss://127.0.0.1:${port}/client/hubs/${HUB}`);
           assert.equal(token.url, `${token.baseUrl}?access_token=${token.token}`);
           const { payload } = decodeJwt(token.token);
           assert.equal(payload.sub, 'carol');
           assert.deepEqual(asArray(payload.role), ['webpubsub.sendToGroup']);
           assert.deepEqual(asArray(payload['webpubsub.group']), ['group3']);
           assert.equal(payload.exp - payload.iat, 3 * 60);
         });
  });

  describe('authentication', () => {
    const wrongKey = 'WRONGWRONGWRONGWRONGWRONGWRONGWRONGWRONG00';

    test('a wrong access key -> RestError 401 on send', { timeout: TEST_TIMEOUT_MS }, async () => {
      const bad = new WebPubSubServiceClient(cs.replace(/AccessKey=[^;]*/i, `AccessKey=${wrongKey}`), HUB,
                                             CLIENT_OPTIONS);
      await expectRestError(bad.sendToAll({ a: 1 }, { abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }), 401);
    });

    test('a wrong access key -> RestError 401 on a HEAD check (not "false")', { timeout: TEST_TIMEOUT_MS },
         async () => {
           const bad = new WebPubSubServiceClient(parsedCs.endpoint, new AzureKeyCredential(wrongKey), HUB,
                                                  CLIENT_OPTIONS);
           await expectRestError(bad.connectionExists('c1', { abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }),
                                 401);
           await expectRestError(bad.groupExists('g1', { abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) }), 401);
         });

    test('a wrong access key -> RestError 401 on every other verb', { timeout: TEST_TIMEOUT_MS }, async () => {
      const bad = new WebPubSubServiceClient(parsedCs.endpoint, new AzureKeyCredential(wrongKey), HUB, CLIENT_OPTIONS);
      const o = () => ({ abortSignal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      await expectRestError(bad.closeConnection('c1', o()), 401);
      await expectRestError(bad.group('g1').addConnection('c1', o()), 401);
      await expectRestError(bad.addConnectionsToGroups(['g1'], "userId eq 'x'", o()), 401);
      await expectRestError(bad['client'].webPubSub.generateClientToken(HUB, o()), 401);
      const iter = await bad.group('g1').listConnections(o());
      await expectRestError(iter.next(), 401);
    });

    test('the right key through AzureKeyCredential works the same as the connection string',
         { timeout: TEST_TIMEOUT_MS }, async () => {
           const viaKey = new WebPubSubServiceClient(parsedCs.endpoint, new AzureKeyCredential(parsedCs.accessKey), HUB,
                                                     CLIENT_OPTIONS);
           const { response } = await call((o) => viaKey.sendToAll({ a: 1 }, o));
           assertStatus(response, 202);
         });
  });

  describe('after all calls', () => {
    test('the emulator is still running', { timeout: TEST_TIMEOUT_MS }, () => {
      assert.ok(emulator.running(), `emulator died: ${JSON.stringify(emulator.exitInfo)} ${redact(emulator.stderr)}`);
      // In the sanitizer build a report goes to stderr; UBSan/ASan may also report without killing the process.
      assert.doesNotMatch(emulator.stderr, /runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer/,
                          redact(emulator.stderr));
      // House rule: secrets (the access key, bearer and client tokens) never reach the emulator's log.
      assert.ok(!emulator.stderr.includes(parsedCs.accessKey), 'the access key appears in the emulator log');
      assert.doesNotMatch(emulator.stderr, /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/, 'a JWT appears in the emulator log');
    });
  });
});

/**
 * The recorded 400 for a bad filter: code Error.BadRequest, either as service JSON or as the ASP.NET problem
 * document (application/problem+json, which the SDK does not parse: RestError.code stays unset and the message
 * is the raw body). Returns the parsed body.
 */
function assertBadRequestBody(err) {
  const text = err.response.bodyAsText || '';
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    assert.fail(`400 body is not JSON: ${text}`);
  }
  assert.equal(body.code, 'Error.BadRequest', text);
  assert.equal(typeof body.message, 'string');
  const header = err.response.headers.get('x-ms-error-code');
  if (header !== undefined) assert.equal(header, 'Error.BadRequest', 'x-ms-error-code header');
  const type = (err.response.headers.get('content-type') || '').split(';')[0].trim();
  assert.ok(type === 'application/json' || type === 'application/problem+json', `content-type ${type}`);
  if (type === 'application/json') {
    assert.equal(err.code, 'Error.BadRequest');
  } else {
    // Observed SDK behaviour (core-client parses only application/json and text/json): the problem document
    // is not parsed, so RestError.code is unset and RestError.message is the raw body text.
    assert.equal(err.code, undefined);
    assert.equal(err.message, text);
  }
  return body;
}
