#!/usr/bin/env node
// Fan-out benchmark peer: a Node `ws` server doing the emulator's work for this scenario only, so the
// emulator's figures have a yardstick measured on the same box at the same time.
//
// Same work per client as webpubsub-emulator: HS256 client token (signature, aud, exp, nbf) checked with
// node's crypto, subprotocol json.webpubsub.azure.v1, the `connected` system message, joinGroup/leaveGroup/
// sendToGroup/event/ping with acks, roles (webpubsub.joinLeaveGroup[.<g>], webpubsub.sendToGroup[.<g>]),
// Duplicate acks, group fan-out serialised ONCE per send, slow consumers closed with 1008 past 16 MiB or
// 1,000 queued frames. Loopback only. Prints one stdout line like the emulator:
//   Endpoint=http://127.0.0.1:PORT;AccessKey=KEY;Version=1.0;
//
// Usage: node peer-server.js [--port 0] [--access-key KEY]
'use strict';

const crypto = require('node:crypto');
const http = require('node:http');
const { WebSocketServer } = require('ws');

const SUBPROTOCOL = 'json.webpubsub.azure.v1';
const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;
const MAX_QUEUED_FRAMES = 1000;
const CLOCK_SKEW_S = 300;

function parseArgs(argv) {
  const opts = { port: 0, accessKey: crypto.randomBytes(32).toString('base64url') };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--port') opts.port = Number(next());
    else if (a === '--access-key') opts.accessKey = next();
    else throw new Error(`unknown argument ${a}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('bad --port');
  return opts;
}

/// Verifies an HS256 JWT and returns its payload, or throws with a reason (never containing the token).
function verifyToken(token, key, expectedAud) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('malformed token');
  const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
  if (header.alg !== 'HS256') throw new Error('unsupported alg');
  const expected = crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], 'base64url');
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new Error('bad signature');
  const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  const now = Date.now() / 1000;
  if (typeof payload.exp !== 'number' || payload.exp + CLOCK_SKEW_S < now) throw new Error('expired');
  if (typeof payload.nbf === 'number' && payload.nbf - CLOCK_SKEW_S > now) throw new Error('not yet valid');
  if (!audienceMatches(payload.aud, expectedAud)) throw new Error('wrong audience');
  return payload;
}

/// aud must name this host, port and /client/hubs/{hub}; any of http/https/ws/wss, case-insensitive
/// (docs/protocol.md#emulator-fidelity).
function audienceMatches(aud, expected) {
  if (typeof aud !== 'string') return false;
  const strip = (s) => s.toLowerCase().replace(/^(https?|wss?):\/\//, '').replace(/\/+$/, '');
  return strip(aud) === strip(expected);
}

function asArray(v) {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v.map(String) : [String(v)];
}

class Hub {
  constructor() {
    this.groups = new Map(); // group -> Set<Session>
  }
  join(session, group) {
    let members = this.groups.get(group);
    if (!members) this.groups.set(group, (members = new Set()));
    members.add(session);
    session.groups.add(group);
  }
  leave(session, group) {
    const members = this.groups.get(group);
    if (members) {
      members.delete(session);
      if (members.size === 0) this.groups.delete(group);
    }
    session.groups.delete(group);
  }
  remove(session) {
    for (const g of [...session.groups]) this.leave(session, g);
  }
}

class Session {
  constructor(ws, id, claims, hub) {
    this.ws = ws;
    this.id = id;
    this.userId = typeof claims.sub === 'string' ? claims.sub : null;
    this.roles = new Set(asArray(claims.role));
    this.groups = new Set();
    this.ackIds = new Set();
    this.hub = hub;
    this.closed = false;
    this.queuedFrames = 0; // frames handed to ws and not yet written to the kernel
    this.onWritten = () => {
      --this.queuedFrames;
    };
  }
  can(permission, group) {
    return this.roles.has(`webpubsub.${permission}`) || this.roles.has(`webpubsub.${permission}.${group}`);
  }
  /// Writes an already serialised text message; closes a consumer that cannot keep up (SlowClient).
  sendBytes(buf) {
    if (this.closed) return;
    const ws = this.ws;
    // Same bound as the emulator's ws::Limits: unsent bytes and unsent frames.
    if (ws.bufferedAmount + buf.length > MAX_QUEUED_BYTES || this.queuedFrames >= MAX_QUEUED_FRAMES) {
      this.close(1008, 'The client is too slow to receive messages.');
      return;
    }
    ++this.queuedFrames;
    ws.send(buf, { binary: false }, this.onWritten);
  }
  sendJson(obj) {
    this.sendBytes(Buffer.from(JSON.stringify(obj), 'utf8'));
  }
  ack(ackId, errorName, message) {
    if (ackId === undefined) return;
    if (!errorName) {
      this.ackIds.add(ackId);
      this.sendJson({ type: 'ack', ackId, success: true });
    } else {
      this.sendJson({ type: 'ack', ackId, success: false, error: { name: errorName, message } });
    }
  }
  duplicate(ackId) {
    if (ackId === undefined || !this.ackIds.has(ackId)) return false;
    this.sendJson({
      type: 'ack', ackId, success: false,
      error: { name: 'Duplicate', message: `The message with ackId ${ackId} was already processed.` },
    });
    return true;
  }
  close(code, reason) {
    if (this.closed) return;
    this.closed = true;
    this.hub.remove(this);
    this.ws.close(code, reason);
  }
  onMessage(data) {
    let req;
    try {
      req = JSON.parse(data.toString('utf8'));
    } catch {
      this.close(1008, 'Invalid message: not JSON.');
      return;
    }
    if (req === null || typeof req !== 'object' || typeof req.type !== 'string') {
      this.close(1008, 'Invalid message: no type.');
      return;
    }
    const ackId = req.ackId;
    if (ackId !== undefined && !(Number.isInteger(ackId) && ackId >= 0)) {
      this.close(1008, 'Invalid message: bad ackId.');
      return;
    }
    switch (req.type) {
      case 'joinGroup':
      case 'leaveGroup': {
        if (this.duplicate(ackId)) return;
        const g = req.group;
        if (typeof g !== 'string' || g.length === 0 || g.length > 1024 || g.trim().length === 0)
          return this.ack(ackId, 'BadRequest', 'Invalid group name.');
        if (!this.can('joinLeaveGroup', g))
          return this.ack(ackId, 'Forbidden', `The client has no permission to ${req.type === 'joinGroup' ? 'join' : 'leave'} group '${g}'.`);
        if (req.type === 'joinGroup') this.hub.join(this, g);
        else this.hub.leave(this, g);
        return this.ack(ackId);
      }
      case 'sendToGroup': {
        if (this.duplicate(ackId)) return;
        const g = req.group;
        if (typeof g !== 'string' || g.length === 0 || g.length > 1024 || g.trim().length === 0)
          return this.ack(ackId, 'BadRequest', 'Invalid group name.');
        if (!this.can('sendToGroup', g))
          return this.ack(ackId, 'Forbidden', `The client has no permission to send message to group '${g}'.`);
        const dataType = req.dataType ?? 'json';
        if (!['json', 'text', 'binary', 'protobuf'].includes(dataType)) {
          this.close(1008, 'Invalid message: bad dataType.');
          return;
        }
        const msg = { type: 'message', from: 'group', group: g };
        if (this.userId !== null) msg.fromUserId = this.userId;
        msg.dataType = dataType;
        msg.data = req.data;
        const members = this.hub.groups.get(g);
        if (members) {
          const bytes = Buffer.from(JSON.stringify(msg), 'utf8'); // serialised once per send
          for (const m of members) if (!(req.noEcho === true && m === this)) m.sendBytes(bytes);
        }
        return this.ack(ackId);
      }
      case 'event':
        if (this.duplicate(ackId)) return;
        return this.ack(ackId); // no upstream in the benchmark: accepted
      case 'ping':
        return this.sendJson({ type: 'pong' });
      default:
        return; // unknown types are ignored (forward compatibility)
    }
  }
}

function main() {
  const opts = parseArgs(process.argv);
  const hubs = new Map();
  const hubOf = (name) => {
    let h = hubs.get(name);
    if (!h) hubs.set(name, (h = new Hub()));
    return h;
  };
  let nextId = 0;
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: MAX_MESSAGE_BYTES,
    clientTracking: false,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  const server = http.createServer((req, res) => {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end('{"code":"NotFound","message":"Only the client WebSocket endpoint is served."}');
  });
  const reject = (socket, status, text) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
  };
  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {});
    const host = req.headers.host ?? '';
    const url = new URL(req.url, `http://${host}`);
    const m = /^\/client\/hubs\/([A-Za-z][A-Za-z0-9_`,.[\]]{0,127})\/?$/.exec(url.pathname);
    if (!m) return reject(socket, 404, 'Not Found');
    const hubName = m[1];
    let token = url.searchParams.get('access_token');
    const auth = req.headers.authorization;
    if (!token && auth && auth.startsWith('Bearer ')) token = auth.slice(7);
    let claims;
    try {
      if (!token) throw new Error('no token');
      claims = verifyToken(token, opts.accessKey, `http://${host}/client/hubs/${hubName}`);
    } catch (e) {
      process.stderr.write(`peer: upgrade refused: ${e.message}\n`);
      return reject(socket, 401, 'Unauthorized');
    }
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    if (!offered.includes(SUBPROTOCOL)) return reject(socket, 400, 'Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = new Session(ws, `peer${(nextId++).toString(36).padStart(8, '0')}`, claims, hubOf(hubName));
      ws.on('message', (data) => session.onMessage(data));
      ws.on('close', () => {
        session.closed = true;
        session.hub.remove(session);
      });
      ws.on('error', () => {});
      for (const g of asArray(claims['webpubsub.group'])) session.hub.join(session, g);
      session.sendJson({ type: 'system', event: 'connected', userId: session.userId, connectionId: session.id });
    });
  });
  server.on('error', (e) => {
    process.stderr.write(`peer: cannot listen: ${e.message}\n`);
    process.exit(1);
  });
  server.listen(opts.port, '127.0.0.1', () => {
    const { port } = server.address();
    process.stdout.write(`Endpoint=http://127.0.0.1:${port};AccessKey=${opts.accessKey};Version=1.0;\n`);
  });
  const stop = () => {
    server.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

try {
  main();
} catch (e) {
  process.stderr.write(`peer: ${e.message}\n`);
  process.exit(2);
}
