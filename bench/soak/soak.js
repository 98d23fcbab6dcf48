#!/usr/bin/env node
// Soak: N json.webpubsub.azure.v1 clients (default 1,000) each sending R acked sendToGroup messages per second
// (default 10) to its own group for a duration (default 10 minutes), against a webpubsub-emulator it starts on
// 127.0.0.1 port 0. Prints the emulator's RSS (VmRSS from /proc/<pid>/status) once per sample interval (default
// a minute) with what was sent, acked and delivered, so that flat RSS after warm-up can be seen: every request
// carries an ackId, as the official SDKs send them, so per-connection state that grows per message shows up as
// a slope. Everything is bounded (clients, rate, duration) and on loopback.
//
// Usage: node soak.js EMULATOR_BINARY [--clients 1000] [--rate 10] [--duration-seconds 600]
//                     [--sample-seconds 60] [--payload 64]
'use strict';

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const readline = require('node:readline');

const WebSocket = require(path.join(__dirname, '..', 'fanout', 'node_modules', 'ws'));

const SUBPROTOCOL = 'json.webpubsub.azure.v1';
const HUB = 'soak';

function parseArgs(argv) {
  const o = { binary: '', clients: 1000, rate: 10, durationSeconds: 600, sampleSeconds: 60, payload: 64 };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    const n = () => {
      const x = Number(argv[++i]);
      if (!Number.isFinite(x) || x <= 0) throw new Error(`${a}: not a positive number`);
      return x;
    };
    switch (a) {
      case '--clients': o.clients = n(); break;
      case '--rate': o.rate = n(); break;
      case '--duration-seconds': o.durationSeconds = n(); break;
      case '--sample-seconds': o.sampleSeconds = n(); break;
      case '--payload': o.payload = n(); break;
      default:
        if (a.startsWith('--') || o.binary) throw new Error(`unknown argument ${a}`);
        o.binary = a;
    }
  }
  if (!o.binary) throw new Error('usage: soak.js EMULATOR_BINARY [options]');
  if (o.clients > 5000) throw new Error('--clients must be at most 5000');
  if (o.rate > 100) throw new Error('--rate must be at most 100 per client');
  if (o.durationSeconds > 4 * 3600) throw new Error('--duration-seconds must be at most 14400');
  if (o.payload > 64 * 1024) throw new Error('--payload must be at most 65536');
  return o;
}

function signToken(key, claims) {
  const b64 = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${body}.${crypto.createHmac('sha256', Buffer.from(key, 'utf8')).update(body).digest('base64url')}`;
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? (Number(m[1]) / 1024).toFixed(1) : 'NaN';
  } catch {
    return 'NaN';
  }
}

/// Starts the emulator; resolves with its process, endpoint and key from the connection string it prints.
function startEmulator(binary) {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, ['--port', '0', '--no-demo'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const timer = setTimeout(() => reject(new Error('the emulator printed no connection string in 20 s')), 20000);
    child.on('error', reject);
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      const kv = {};
      for (const part of line.split(';')) {
        const eq = part.indexOf('=');
        if (eq > 0) kv[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim();
      }
      const url = new URL(kv.endpoint);
      if (kv.port) url.port = kv.port;
      if (url.hostname !== '127.0.0.1') reject(new Error('loopback only'));
      resolve({ child, host: url.host, key: kv.accesskey });
    });
  });
}

async function main() {
  const o = parseArgs(process.argv);
  const emulator = await startEmulator(o.binary);
  const pid = emulator.child.pid;
  const stats = { sent: 0, acked: 0, failedAcks: 0, delivered: 0, closed: 0, errors: 0 };
  const payload = 'x'.repeat(o.payload);
  const clients = [];
  const started = Date.now();
  console.log(`soak: ${o.clients} clients x ${o.rate} msg/s with ackIds for ${o.durationSeconds} s; emulator pid ${pid}`);

  // Connect in batches of 100 (bounded concurrency); each joins its own group with an acked joinGroup.
  const connectOne = (i) =>
    new Promise((resolve) => {
      const group = `g${i}`;
      const token = signToken(emulator.key, {
        aud: `http://${emulator.host}/client/hubs/${HUB}`,
        exp: Math.floor(Date.now() / 1000) + 4 * 3600,
        sub: `user${i}`,
        role: [`webpubsub.joinLeaveGroup.${group}`, `webpubsub.sendToGroup.${group}`],
      });
      const ws = new WebSocket(`ws://${emulator.host}/client/hubs/${HUB}?access_token=${token}`, SUBPROTOCOL);
      const c = { ws, group, nextAckId: 1, timer: null };
      ws.on('message', (data) => {
        const m = JSON.parse(data.toString());
        if (m.type === 'ack') {
          if (m.success) ++stats.acked;
          else ++stats.failedAcks;
        } else if (m.type === 'message') {
          ++stats.delivered;
        } else if (m.type === 'system' && m.event === 'connected') {
          ws.send(JSON.stringify({ type: 'joinGroup', group, ackId: c.nextAckId++ }));
          resolve(c);
        }
      });
      ws.on('close', () => ++stats.closed);
      ws.on('error', () => {
        ++stats.errors;
        resolve(c);
      });
    });
  for (let i = 0; i < o.clients; i += 100) {
    const batch = [];
    for (let j = i; j < Math.min(i + 100, o.clients); ++j) batch.push(connectOne(j));
    clients.push(...(await Promise.all(batch)));
  }
  console.log(`connected ${clients.length} clients in ${((Date.now() - started) / 1000).toFixed(1)} s; rss ${rssMb(pid)} MB`);

  // Each client sends every 1000/rate ms, starting at a random offset so the load is spread.
  const interval = 1000 / o.rate;
  for (const c of clients) {
    setTimeout(() => {
      c.timer = setInterval(() => {
        if (c.ws.readyState !== WebSocket.OPEN) return;
        c.ws.send(JSON.stringify({ type: 'sendToGroup', group: c.group, dataType: 'text', data: payload, ackId: c.nextAckId++ }));
        ++stats.sent;
      }, interval);
    }, Math.random() * interval);
  }

  const soakStart = Date.now();
  console.log('minute  rss_mb  sent  acked  failed_acks  delivered  closed');
  const sample = () => {
    const minutes = ((Date.now() - soakStart) / 60000).toFixed(1);
    console.log(`${minutes.padStart(6)}  ${rssMb(pid).padStart(6)}  ${stats.sent}  ${stats.acked}  ${stats.failedAcks}  ${stats.delivered}  ${stats.closed}`);
  };
  sample();
  const sampler = setInterval(sample, o.sampleSeconds * 1000);
  await new Promise((r) => setTimeout(r, o.durationSeconds * 1000));
  clearInterval(sampler);
  sample();
  for (const c of clients) {
    clearInterval(c.timer);
    c.ws.terminate();
  }
  emulator.child.kill('SIGTERM');
  const ok = stats.closed === 0 && stats.failedAcks === 0 && stats.errors === 0;
  console.log(ok ? 'soak: no client closed, every ack succeeded' : `soak: ${JSON.stringify(stats)}`);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  console.error(`soak: ${e.message}`);
  process.exit(2);
});
