#!/usr/bin/env node
// Fan-out load generator: N json.webpubsub.azure.v1 clients in G groups of S members, a few sender clients
// publishing 2 KB text messages with sendToGroup at a stepped target OUTBOUND rate (deliveries/s = sends/s x S),
// end-to-end latency per delivered message from a timestamp inside the payload. One JSON object per line on
// stdout (events "ready", "step", "idle", "error", "done"); progress on stderr. Everything is bounded: clients,
// steps, step length, total run time. Loopback only (the endpoint must be 127.0.0.1 or ::1).
//
// Usage:
//   node loadgen.js --cs "Endpoint=...;AccessKey=...;" [--server-pid PID] [--hub bench]
//     --mode fanout --groups 10 --group-size 100 [--senders 4] [--payload 2048]
//     [--rates 8000,16000,...] [--step-seconds 10] [--p99-limit-ms 1000] [--max-steps 12] [--max-seconds 900]
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
      default: throw new Error(`unknown argument ${a}`);
    }
  }
  if (!['fanout', 'idle'].includes(o.mode)) throw new Error('--mode is fanout or idle');
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
  }
}

async function connectAll(o, conn, clients, onData) {
  const base = `ws://${conn.host}/client/hubs/${o.hub}`;
  const aud = `${conn.endpoint}/client/hubs/${o.hub}`;
  const exp = Math.floor(Date.now() / 1000) + 3600;
  let next = 0;
  let failure = null;
  const connectOne = (c) =>
    new Promise((resolve, reject) => {
      const claims = { aud, exp, iat: exp - 3600, sub: c.kind === 'sender' ? `sender${c.index}` : `user${c.index}` };
      if (c.kind === 'member') claims.role = [`webpubsub.joinLeaveGroup.${c.group}`];
      if (c.kind === 'sender') claims.role = ['webpubsub.sendToGroup'];
      const ws = new WebSocket(`${base}?access_token=${signToken(conn.key, claims)}`, SUBPROTOCOL, {
        perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 10000, maxPayload: 2 * 1024 * 1024,
      });
      c.ws = ws;
      let connected = false;
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
  const onData = (c, buf) => {
    const at = buf.indexOf(MARK);
    if (at < 0) return handleControl(c, buf);
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

  await connectAll(o, conn, [...members, ...senders], onData);
  const joins = await Promise.all(members.map((c) => request(c, { type: 'joinGroup', group: c.group })));
  const refused = joins.filter((ok) => !ok).length;
  if (refused) throw new Error(`${refused} joinGroup requests were refused`);
  await sleep(1000);
  out({ event: 'ready', clients: o.clients, groups: o.groups, groupSize: S, serverRssKb: processRssKb(o.serverPid),
    loadgenRssKb: Math.round(process.memoryUsage().rss / 1024) });

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
