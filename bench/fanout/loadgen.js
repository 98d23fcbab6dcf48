#!/usr/bin/env node
// Fan-out load generator: N json.webpubsub.azure.v1 clients in G groups of S members, a few sender clients
// publishing 2 KB text messages with sendToGroup at a stepped target OUTBOUND rate (deliveries/s = sends/s x S),
// or (--protocol mqtt) the same with MQTT 3.1.1 clients on /clients/mqtt/hubs/{hub}: members SUBSCRIBE to their
// group's topic at --qos 0|1 (QoS 1 deliveries are PUBACKed), senders PUBLISH 2 KB at that QoS (QoS 1: PUBACK
// is the ack); end-to-end latency per delivered message from a timestamp inside the payload. One JSON object per line on
// stdout (events "ready", "step", "idle", "error", "done"); progress on stderr. Everything is bounded: clients,
// steps, step length, total run time. Loopback only (the endpoint must be 127.0.0.1 or ::1).
//
// Usage:
//   node loadgen.js --cs "Endpoint=...;AccessKey=...;" [--server-pid PID] [--hub bench]
//     --mode fanout --groups 10 --group-size 100 [--senders 4] [--payload 2048]
//     [--rates 8000,16000,...] [--step-seconds 10] [--p99-limit-ms 1000] [--max-steps 12] [--max-seconds 900]
//     [--protocol json|mqtt] [--qos 0|1] [--hold-seconds N]
//   node loadgen.js --cs ... --mode idle --clients 10000
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { performance } = require('node:perf_hooks');
const WebSocket = require('ws');

const SUBPROTOCOL = 'json.webpubsub.azure.v1';
const MAX_CLIENTS = 20000;
const MAX_STEPS = 20;
const MAX_STEP_SECONDS = 120;
const MARK = Buffer.from('#@');
const SENDER_BACKLOG_BYTES = 4 * 1024 * 1024; // a sender whose unsent output exceeds this skips its sends

function parseArgs(argv) {
  const o = {
    cs: '', hub: 'bench', serverPid: 0, mode: 'fanout', groups: 10, groupSize: 100, clients: 0, senders: 4,
    payload: 2048, rates: [8000, 16000, 32000, 64000, 96000, 128000, 192000, 256000, 384000, 512000],
    stepSeconds: 10, p99LimitMs: 1000, maxSteps: 12, maxSeconds: 900, concurrency: 100, minDeliveredRatio: 0.95,
    protocol: 'json', qos: 1, holdSeconds: 0,
  };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    const n = () => {
      const x = Number(v());
      if (!Number.isFinite(x) || x < 0) throw new Error(`${a}: not a number`);
      return x;
    };
    switch (a) {
      case '--cs': o.cs = v(); break;
      case '--hub': o.hub = v(); break;
      case '--server-pid': o.serverPid = n(); break;
      case '--mode': o.mode = v(); break;
      case '--groups': o.groups = n(); break;
      case '--group-size': o.groupSize = n(); break;
      case '--clients': o.clients = n(); break;
      case '--senders': o.senders = n(); break;
      case '--payload': o.payload = n(); break;
      case '--rates': o.rates = v().split(',').map(Number); break;
      case '--step-seconds': o.stepSeconds = n(); break;
      case '--p99-limit-ms': o.p99LimitMs = n(); break;
      case '--max-steps': o.maxSteps = n(); break;
      case '--max-seconds': o.maxSeconds = n(); break;
      case '--concurrency': o.concurrency = n(); break;
      case '--protocol': o.protocol = v(); break;
      case '--qos': o.qos = n(); break;
      case '--hold-seconds': o.holdSeconds = n(); break;
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  if (!['fanout', 'idle'].includes(o.mode)) throw new Error('--mode is fanout or idle');
  if (!['json', 'mqtt'].includes(o.protocol)) throw new Error('--protocol is json or mqtt');
  if (o.qos !== 0 && o.qos !== 1) throw new Error('--qos is 0 or 1');
  if (!(o.holdSeconds >= 0 && o.holdSeconds <= 60)) throw new Error('--hold-seconds is 0..60');
  if (o.mode === 'fanout') o.clients = o.groups * o.groupSize;
  if (o.clients < 1 || o.clients > MAX_CLIENTS) throw new Error(`clients must be 1..${MAX_CLIENTS}`);
  if (o.senders < 1 || o.senders > 64) throw new Error('--senders must be 1..64');
  if (o.payload < 32 || o.payload > 512 * 1024) throw new Error('--payload must be 32..524288');
  if (o.stepSeconds <= 0 || o.stepSeconds > MAX_STEP_SECONDS) throw new Error(`--step-seconds must be ≤ ${MAX_STEP_SECONDS}`);
  o.maxSteps = Math.min(o.maxSteps, MAX_STEPS, o.rates.length);
  if (o.rates.some((r) => !(r > 0))) throw new Error('--rates must be positive');
  return o;
}

function parseConnectionString(cs) {
  const kv = {};
  for (const part of cs.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) kv[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
  }
  if (!kv.endpoint || !kv.accesskey) throw new Error('connection string needs Endpoint and AccessKey');
  const url = new URL(kv.endpoint);
  if (kv.port) url.port = kv.port;
  if (!['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname)) throw new Error('loopback endpoints only');
  return { endpoint: `${url.protocol}//${url.host}`, host: url.host, key: kv.accesskey };
}

function signToken(key, claims) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(body).digest('base64url')}`;
}

const clkTck = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/// utime+stime of a process in microseconds, or NaN.
function processCpuUs(pid) {
  if (!pid) return NaN;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1e6) / clkTck; // fields 14 and 15
  } catch {
    return NaN;
  }
}

/// Busy CPU time of the whole machine (all cores, excluding idle and iowait) in microseconds.
function machineBusyUs() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const busy = f[0] + f[1] + f[2] + f[5] + f[6] + f[7]; // user nice system irq softirq steal
    return (busy * 1e6) / clkTck;
  } catch {
    return NaN;
  }
}

function processRssKb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

const out = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const log = (s) => process.stderr.write(`loadgen: ${s}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowUs = () => Math.round(performance.now() * 1000);

/// Latency histogram in microseconds: 20 µs buckets to 100 ms, then 1 ms buckets to 120 s.
class Histogram {
  constructor() {
    this.fine = new Uint32Array(5000);
    this.coarse = new Uint32Array(120000);
    this.count = 0;
  }
  add(us) {
    ++this.count;
    if (us < 100000) this.fine[Math.max(0, Math.floor(us / 20))]++;
    else this.coarse[Math.min(this.coarse.length - 1, Math.floor(us / 1000))]++;
  }
  /// Percentile in ms over `total` samples, where samples missing from the histogram count as infinite.
  percentile(p, total = this.count) {
    const want = Math.ceil((p / 100) * total);
    if (want === 0) return 0;
    let seen = 0;
    for (let i = 0; i < this.fine.length; ++i) if ((seen += this.fine[i]) >= want) return ((i + 1) * 20) / 1000;
    for (let i = 100; i < this.coarse.length; ++i) if ((seen += this.coarse[i]) >= want) return i + 1;
    return Infinity;
  }
}

// A minimal MQTT 3.1.1 client side (only what the bench sends and reads; one packet per WebSocket message is
// what the emulator sends, but several in one message are handled too).
function mqttString(str) {
  const b = Buffer.from(str, 'utf8');
  const l = Buffer.alloc(2);
  l.writeUInt16BE(b.length);
  return Buffer.concat([l, b]);
}
function mqttPacket(first, body) {
  const len = [];
  let n = body.length;
  do {
    let d = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) d |= 0x80;
    len.push(d);
  } while (n > 0);
  return Buffer.concat([Buffer.from([first, ...len]), body]);
}
const mqttId = (id) => Buffer.from([id >> 8, id & 0xff]);
const mqttConnect = (clientId, keepAlive) =>
  mqttPacket(0x10, Buffer.concat([mqttString('MQTT'), Buffer.from([4, 0x02, keepAlive >> 8, keepAlive & 0xff]),
    mqttString(clientId)]));
const mqttSubscribe = (id, topic, qos) => mqttPacket(0x82, Buffer.concat([mqttId(id), mqttString(topic), Buffer.from([qos])]));
const mqttPublish = (topic, id, qos, payload) =>
  mqttPacket(0x30 | (qos << 1), Buffer.concat([mqttString(topic), qos ? mqttId(id) : Buffer.alloc(0), payload]));
const MQTT_PINGREQ = Buffer.from([0xc0, 0]);
const MQTT_KEEPALIVE_S = 120;

/// Calls cb(type, flags, buf, bodyStart, bodyEnd) for each MQTT packet in one WebSocket message.
function forEachMqttPacket(buf, cb) {
  let i = 0;
  while (i < buf.length) {
    const first = buf[i++];
    let len = 0;
    let mul = 1;
    let d;
    do {
      d = buf[i++];
      len += (d & 0x7f) * mul;
      mul *= 128;
    } while (d & 0x80 && i < buf.length);
    cb(first >> 4, first & 0x0f, buf, i, Math.min(buf.length, i + len));
    i += len;
  }
}

class Client {
  constructor(index, kind, group) {
    this.index = index;
    this.kind = kind; // 'member' | 'sender' | 'idle'
    this.group = group;
    this.ws = null;
    this.nextAckId = 1;
    this.pendingAcks = new Map();
    this.closedCode = 0;
    this.closedReason = '';
    this.mqttId = 0;
  }
  /// The next MQTT packet identifier (1..65535).
  nextPacketId() {
    this.mqttId = (this.mqttId % 65535) + 1;
    return this.mqttId;
  }
}

async function connectAll(o, conn, clients, onData) {
  const mqtt = o.protocol === 'mqtt';
  const path = mqtt ? `clients/mqtt/hubs/${o.hub}` : `client/hubs/${o.hub}`;
  const base = `ws://${conn.host}/${path}`;
  const aud = `${conn.endpoint}/${path}`;
  const exp = Math.floor(Date.now() / 1000) + 3600;
  let next = 0;
  let failure = null;
  const connectOne = (c) =>
    new Promise((resolve, reject) => {
      const claims = { aud, exp, iat: exp - 3600, sub: c.kind === 'sender' ? `sender${c.index}` : `user${c.index}` };
      if (c.kind === 'member') claims.role = [`webpubsub.joinLeaveGroup.${c.group}`];
      if (c.kind === 'sender') claims.role = ['webpubsub.sendToGroup'];
      const ws = new WebSocket(`${base}?access_token=${signToken(conn.key, claims)}`, mqtt ? 'mqtt' : SUBPROTOCOL, {
        perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 10000, maxPayload: 2 * 1024 * 1024,
      });
      c.ws = ws;
      let connected = false;
      if (mqtt) ws.on('open', () => ws.send(mqttConnect(`${c.kind[0]}${c.index}`, MQTT_KEEPALIVE_S)));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade answered HTTP ${res.statusCode}`)));
      ws.on('error', (e) => {
        if (!connected) reject(e);
      });
      ws.on('close', (code, reason) => {
        c.closedCode = code || 1006;
        c.closedReason = reason ? reason.toString('utf8') : '';
        for (const cb of c.pendingAcks.values()) cb(false);
        c.pendingAcks.clear();
        if (!connected) reject(new Error(`closed ${code} before connected`));
      });
      ws.on('message', (buf) => {
        if (!connected && mqtt) {
          // CONNACK: 0x20 0x02 <session present> <return code>
          if (buf[0] === 0x20 && buf[3] === 0) {
            connected = true;
            resolve();
          } else reject(new Error(`first packet is not an accepting CONNACK (${buf.subarray(0, 4).toString('hex')})`));
          return;
        }
        if (!connected) {
          const m = JSON.parse(buf.toString('utf8'));
          if (m.type === 'system' && m.event === 'connected') {
            connected = true;
            resolve();
          } else reject(new Error('first frame is not the connected system message'));
          return;
        }
        onData(c, buf);
      });
    });
  const worker = async () => {
    while (next < clients.length && !failure) {
      const c = clients[next++];
      try {
        await connectOne(c);
      } catch (e) {
        failure = failure ?? e;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, clients.length)) }, worker));
  if (failure) throw failure;
  log(`${clients.length} clients connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/// Handles a control frame (ack etc.) of a client.
function handleControl(c, buf) {
  let m;
  try {
    m = JSON.parse(buf.toString('utf8'));
  } catch {
    return;
  }
  if (m.type === 'ack') {
    const cb = c.pendingAcks.get(m.ackId);
    if (cb) {
      c.pendingAcks.delete(m.ackId);
      cb(m.success === true);
    }
  }
}

function request(c, obj) {
  return new Promise((resolve) => {
    const ackId = c.nextAckId++;
    c.pendingAcks.set(ackId, resolve);
    c.ws.send(JSON.stringify({ ...obj, ackId }));
  });
}

async function runFanout(o, conn) {
  const deadline = performance.now() + o.maxSeconds * 1000;
  const S = o.groupSize;
  const groupNames = Array.from({ length: o.groups }, (_, g) => `g${g}`);
  const members = Array.from({ length: o.clients }, (_, i) => new Client(i, 'member', groupNames[Math.floor(i / S)]));
  const senders = Array.from({ length: o.senders }, (_, i) => new Client(i, 'sender', null));

  // Per-step receive state; deliveries carry "#@<step>:<send time µs>@#" at the start of data.
  let current = null;
  let late = 0;
  const mqtt = o.protocol === 'mqtt';
  const record = (buf, at) => {
    let i = at + 2;
    let step = 0;
    let ts = 0;
    let ch;
    while ((ch = buf[i++]) !== 58 /* : */) step = step * 10 + (ch - 48);
    while ((ch = buf[i++]) !== 64 /* @ */) ts = ts * 10 + (ch - 48);
    if (current && step === current.id) {
      current.hist.add(nowUs() - ts);
    } else {
      ++late;
    }
  };
  const onJsonData = (c, buf) => {
    const at = buf.indexOf(MARK);
    if (at < 0) return handleControl(c, buf);
    record(buf, at);
  };
  const settle = (c, id, ok) => {
    const cb = c.pendingAcks.get(id);
    if (cb) {
      c.pendingAcks.delete(id);
      cb(ok);
    }
  };
  const onMqttData = (c, buf) =>
    forEachMqttPacket(buf, (type, flags, b, start, end) => {
      if (type === 3) { // PUBLISH: topic, packet id when QoS > 0, payload
        const qos = (flags >> 1) & 3;
        const payloadAt = start + 2 + b.readUInt16BE(start) + (qos ? 2 : 0);
        if (qos) c.ws.send(Buffer.from([0x40, 2, b[payloadAt - 2], b[payloadAt - 1]]));
        const at = b.indexOf(MARK, payloadAt);
        if (at >= 0 && at < end) record(b, at);
      } else if (type === 4) { // PUBACK
        settle(c, b.readUInt16BE(start), true);
      } else if (type === 9) { // SUBACK: one return code
        settle(c, b.readUInt16BE(start), b[start + 2] < 0x80);
      }
    });

  await connectAll(o, conn, [...members, ...senders], mqtt ? onMqttData : onJsonData);
  // MQTT 3.1.1 clients that only receive must still send something within the keep-alive.
  const pinger = mqtt ? setInterval(() => {
    for (const c of [...members, ...senders]) if (!c.closedCode) c.ws.send(MQTT_PINGREQ);
  }, (MQTT_KEEPALIVE_S * 1000) / 3) : null;
  if (pinger) pinger.unref();
  const join = (c) => {
    if (!mqtt) return request(c, { type: 'joinGroup', group: c.group });
    return new Promise((resolve) => {
      const id = c.nextPacketId();
      c.pendingAcks.set(id, resolve);
      c.ws.send(mqttSubscribe(id, c.group, o.qos));
    });
  };
  const joins = await Promise.all(members.map(join));
  const refused = joins.filter((ok) => !ok).length;
  if (refused) throw new Error(`${refused} ${mqtt ? 'SUBSCRIBE' : 'joinGroup'} requests were refused`);
  await sleep(1000);
  out({ event: 'ready', clients: o.clients, groups: o.groups, groupSize: S, serverRssKb: processRssKb(o.serverPid),
    loadgenRssKb: Math.round(process.memoryUsage().rss / 1024) });
  // A pause between "ready" and the first send, e.g. for switching a profiler's collection on (profile.sh).
  if (o.holdSeconds) await sleep(o.holdSeconds * 1000);

  const padding = 'x'.repeat(o.payload);
  let ackFailures = 0;
  const onAck = (ok) => {
    if (!ok) ++ackFailures;
  };
  for (let s = 0; s < o.maxSteps; ++s) {
    const rate = o.rates[s];
    if (performance.now() + (o.stepSeconds + 3) * 1000 > deadline) {
      log('time budget used up; no more steps');
      break;
    }
    const sendRate = rate / S; // sends per second over all senders
    const step = { id: s + 1, hist: new Histogram() };
    const closedBefore = members.filter((c) => c.closedCode).length;
    const sendersClosedBefore = senders.filter((c) => c.closedCode).length;
    let planned = 0;
    let sent = 0;
    let skipped = 0;
    let turn = 0;
    const gen0 = process.cpuUsage();
    const srv0 = processCpuUs(o.serverPid);
    const all0 = machineBusyUs();
    const t0 = performance.now();
    current = step;
    const durMs = o.stepSeconds * 1000;
    await new Promise((resolve) => {
      const tick = () => {
        const elapsed = Math.min(performance.now() - t0, durMs);
        const due = Math.floor((elapsed / 1000) * sendRate) - planned;
        for (let k = 0; k < due; ++k, ++turn) {
          const sender = senders[turn % senders.length];
          const group = groupNames[turn % groupNames.length];
          if (sender.closedCode || sender.ws.bufferedAmount > SENDER_BACKLOG_BYTES) {
            ++skipped;
            continue;
          }
          const mark = `#@${step.id}:${nowUs()}@#`;
          const data = mark + padding.slice(mark.length);
          if (mqtt) {
            const id = o.qos ? sender.nextPacketId() : 0;
            if (o.qos) sender.pendingAcks.set(id, onAck);
            sender.ws.send(mqttPublish(group, id, o.qos, Buffer.from(data, 'latin1')));
            ++sent;
            continue;
          }
          const ackId = sender.nextAckId++;
          sender.pendingAcks.set(ackId, onAck);
          sender.ws.send(
            `{"type":"sendToGroup","group":"${group}","ackId":${ackId},"dataType":"text","data":"${data}"}`);
          ++sent;
        }
        planned += Math.max(0, due);
        if (elapsed >= durMs) resolve();
        else setTimeout(tick, 1);
      };
      tick();
    });
    // Drain: wait for the step's deliveries, at most the latency limit plus a second.
    const expected = sent * S;
    const drainEnd = performance.now() + o.p99LimitMs + 1000;
    while (step.hist.count < expected && performance.now() < drainEnd) await sleep(10);
    const wallS = (performance.now() - t0) / 1000;
    const srvUs = processCpuUs(o.serverPid) - srv0;
    const gen = process.cpuUsage(gen0);
    const allUs = machineBusyUs() - all0;
    current = null;
    const delivered = step.hist.count;
    const closed = members.filter((c) => c.closedCode).length - closedBefore;
    const sendersClosed = senders.filter((c) => c.closedCode).length - sendersClosedBefore;
    // Why the server closed clients (first few distinct code/reason pairs), for the report.
    const closeReasons = [...new Set([...members, ...senders].filter((c) => c.closedCode)
      .map((c) => `${c.kind} ${c.closedCode} ${c.closedReason}`.trim()))].slice(0, 5);
    const p50 = step.hist.percentile(50, expected);
    const p99 = step.hist.percentile(99, expected);
    const outRate = delivered / o.stepSeconds;
    const reasons = [];
    if (p99 > o.p99LimitMs) reasons.push('p99');
    if (delivered < o.minDeliveredRatio * rate * o.stepSeconds) reasons.push('behind');
    if (closed || sendersClosed) reasons.push('closed');
    const r = {
      event: 'step', step: step.id, targetRate: rate, seconds: o.stepSeconds, sends: sent, skippedSends: skipped,
      expected, delivered, outRate: Math.round(outRate), p50Ms: p50, p99Ms: p99,
      serverUsPerMsg: delivered ? srvUs / delivered : null, serverCpuPct: (srvUs / 1e4) / wallS,
      loadgenUsPerMsg: delivered ? (gen.user + gen.system) / delivered : null,
      loadgenCpuPct: ((gen.user + gen.system) / 1e4) / wallS,
      // CPU used by everything else on the machine during the step (100 = one core): a busy box shows here.
      otherCpuPct: Math.max(0, (allUs - srvUs - gen.user - gen.system) / 1e4 / wallS), closedClients: closed, closedSenders: sendersClosed,
      closeReasons, ackFailures, late,
      ok: reasons.length === 0, failed: reasons,
    };
    out(r);
    log(`step ${r.step}: target ${rate}/s, out ${r.outRate}/s, p50 ${p50} ms, p99 ${p99} ms, ` +
        `server ${r.serverUsPerMsg?.toFixed(2)} µs/msg, loadgen ${r.loadgenCpuPct.toFixed(0)}% ${r.ok ? 'ok' : 'FAIL ' + reasons}`);
    if (!r.ok) break;
    await sleep(500); // let stragglers arrive outside the next step
  }
}

async function runIdle(o, conn) {
  const clients = Array.from({ length: o.clients }, (_, i) => new Client(i, 'idle', null));
  await connectAll(o, conn, clients, handleControl);
  await sleep(2000);
  const closed = clients.filter((c) => c.closedCode).length;
  out({ event: 'idle', clients: o.clients, closedClients: closed, serverRssKb: processRssKb(o.serverPid),
    loadgenRssKb: Math.round(process.memoryUsage().rss / 1024) });
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv);
  } catch (e) {
    log(e.message);
    process.exit(2);
  }
  const conn = parseConnectionString(o.cs);
  const watchdog = setTimeout(() => {
    out({ event: 'error', message: 'overall time limit reached' });
    process.exit(4);
  }, (o.maxSeconds + 120) * 1000);
  watchdog.unref();
  try {
    if (o.mode === 'fanout') await runFanout(o, conn);
    else await runIdle(o, conn);
    out({ event: 'done' });
    process.exit(0);
  } catch (e) {
    out({ event: 'error', message: e.message });
    process.exit(3);
  }
}

main();
