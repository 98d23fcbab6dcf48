#!/usr/bin/env node
// Fan-out benchmark driver (see bench/README.md). Starts the emulator and then the Node peer, each in turn
// and fresh for every scenario, on 127.0.0.1 with --port 0; runs loadgen.js against each; prints the summary:
//   <scenario>: <N> out msg/s, p99 <L> ms, <C> us/msg, peer <M> out msg/s, ratio <R>
//   loadgen: ...
//   <scenario> mqtt qos<Q>: <N> out msg/s, <C> us/msg at <R>/s, json <J> us/msg at <R>/s, cpu ratio <X>
//   rss 1000: <RSS> MB, peer <RSS> MB
//   idle 10000: <RSS> MB, peer <RSS> MB
// Per-step detail goes to stderr, and with --json FILE all raw results are written as JSON.
//
// Usage: node run.js [EMULATOR] [--quick] [--servers emulator,peer] [--scenarios big,small] [--rates R1,R2,..]
//                    [--step-seconds N] [--idle N] [--no-idle] [--no-glib] [--json FILE]
//                    [--protocols json,mqtt0,mqtt1]
// EMULATOR defaults to build/app/webpubsub-emulator (relative to the repository root).
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { spawn } = require('node:child_process');

const HERE = __dirname;
const ROOT = path.resolve(HERE, '..', '..');
const TOTAL_LIMIT_S = 45 * 60;

function parseArgs(argv) {
  const o = { emulator: path.join(ROOT, 'build/app/webpubsub-emulator'), quick: false,
    servers: ['emulator', 'peer'], stepSeconds: 0, idle: 0, noGlib: false, json: '',
    protocols: ['json', 'mqtt0', 'mqtt1'] };
  for (let i = 2; i < argv.length; ++i) {
    const a = argv[i];
    const v = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--quick') o.quick = true;
    else if (a === '--servers') o.servers = v().split(',');
    else if (a === '--step-seconds') o.stepSeconds = Number(v());
    else if (a === '--idle') o.idle = Number(v());
    else if (a === '--no-glib') o.noGlib = true;
    else if (a === '--json') o.json = v();
    else if (a === '--scenarios') o.only = v().split(',');
    else if (a === '--rates') o.rates = v().split(',').map(Number);
    else if (a === '--no-idle') o.noIdle = true;
    else if (a === '--protocols') o.protocols = v().split(',');
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else o.emulator = path.resolve(a);
  }
  if (o.servers.some((s) => !['emulator', 'peer'].includes(s))) throw new Error('--servers: emulator,peer');
  if (o.protocols.length === 0 || o.protocols.some((p) => !['json', 'mqtt0', 'mqtt1'].includes(p)))
    throw new Error('--protocols: json,mqtt0,mqtt1');
  const full = {
    clients: 1000,
    scenarios: [
      { name: 'big groups', groups: 10, groupSize: 100 },
      { name: 'small groups', groups: 100, groupSize: 10 },
    ],
    rates: [8000, 16000, 32000, 64000, 96000, 128000, 192000, 256000, 384000, 512000],
    stepSeconds: 10, idle: 10000, referenceRate: 32000, maxSeconds: 300,
  };
  const quick = {
    clients: 200,
    scenarios: [
      { name: 'big groups', groups: 2, groupSize: 100 },
      { name: 'small groups', groups: 20, groupSize: 10 },
    ],
    rates: [4000, 8000], stepSeconds: 2, idle: 1000, referenceRate: 8000, maxSeconds: 60,
  };
  o.plan = o.quick ? quick : full;
  if (o.stepSeconds > 0) o.plan.stepSeconds = Math.min(o.stepSeconds, 60);
  if (o.idle > 0) o.plan.idle = Math.min(o.idle, 20000);
  if (o.only) o.plan.scenarios = o.plan.scenarios.filter((sc) => o.only.includes(sc.name.split(' ')[0]));
  if (o.rates) {
    if (o.rates.length === 0 || o.rates.length > 20 || o.rates.some((r) => !(r > 0))) throw new Error('bad --rates');
    o.plan.rates = o.rates;
  }
  return o;
}

const log = (s) => process.stderr.write(`run: ${s}\n`);

function openFileLimit() {
  try {
    const m = /Max open files\s+(\d+|unlimited)/.exec(fs.readFileSync('/proc/self/limits', 'utf8'));
    return m && m[1] !== 'unlimited' ? Number(m[1]) : Infinity;
  } catch {
    return Infinity;
  }
}

/// Starts a server and resolves with { proc, pid, cs } once its connection line is printed.
function startServer(kind, o, logDir) {
  const [cmd, args, env] = kind === 'emulator'
    ? [o.emulator, ['--host', '127.0.0.1', '--port', '0'], o.noGlib ? { ...process.env, QT_NO_GLIB: '1' } : process.env]
    : [process.execPath, [path.join(HERE, 'peer-server.js'), '--port', '0'], process.env];
  const errLog = fs.openSync(path.join(logDir, `${kind}.stderr.log`), 'a');
  const proc = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', errLog] });
  fs.closeSync(errLog);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`${kind} printed no connection line within 15 s`));
    }, 15000);
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`${kind} did not start: ${e.message}`));
    });
    proc.on('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${kind} exited (${code ?? sig}) before printing its connection line`));
    });
    readline.createInterface({ input: proc.stdout }).once('line', (line) => {
      clearTimeout(timer);
      if (!/^Endpoint=http:\/\/127\.0\.0\.1:\d+;AccessKey=[^;]+;Version=1\.0;$/.test(line.trim())) {
        proc.kill('SIGKILL');
        reject(new Error(`${kind} printed an unexpected first line`));
        return;
      }
      proc.removeAllListeners('exit');
      resolve({ proc, pid: proc.pid, cs: line.trim() });
    });
  });
}

function stopServer(server) {
  return new Promise((resolve) => {
    if (server.proc.exitCode !== null || server.proc.signalCode !== null) return resolve(server.proc.exitCode);
    const kill = setTimeout(() => server.proc.kill('SIGKILL'), 5000);
    server.proc.once('exit', (code, sig) => {
      clearTimeout(kill);
      resolve(code ?? sig);
    });
    server.proc.kill('SIGTERM');
  });
}

/// Runs loadgen.js; resolves with its JSON events. Its progress lines go to our stderr.
function runLoadgen(args, tag) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [path.join(HERE, 'loadgen.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const events = [];
    readline.createInterface({ input: proc.stdout }).on('line', (l) => {
      try {
        events.push(JSON.parse(l));
      } catch {
        log(`${tag}: unparsable loadgen line`);
      }
    });
    readline.createInterface({ input: proc.stderr }).on('line', (l) => process.stderr.write(`  ${tag}: ${l}\n`));
    proc.on('exit', (code) => resolve({ code, events }));
  });
}

async function runServer(kind, o, logDir) {
  const p = o.plan;
  const res = { scenarios: {}, idle: null };
  // The peer speaks json only; the emulator runs each scenario once per protocol (MQTT: QoS 0 and QoS 1).
  const runs = [];
  for (const sc of p.scenarios)
    for (const proto of kind === 'emulator' ? o.protocols : ['json'])
      runs.push({ ...sc, proto, key: scenarioKey(sc.name, proto) });
  for (const sc of runs) {
    const r = (res.scenarios[sc.key] = { steps: [], ready: null, error: null, serverExit: null });
    let server;
    try {
      server = await startServer(kind, o, logDir);
    } catch (e) {
      r.error = e.message;
      log(`${kind} ${sc.name}: ${e.message}`);
      continue;
    }
    let exited = null;
    server.proc.once('exit', (code, sig) => (exited = code ?? sig));
    log(`${kind} ${sc.key} (${sc.groups} x ${sc.groupSize}), pid ${server.pid}`);
    const { code, events } = await runLoadgen(['--cs', server.cs, '--server-pid', String(server.pid),
      '--mode', 'fanout', '--groups', String(sc.groups), '--group-size', String(sc.groupSize),
      '--rates', p.rates.join(','), '--step-seconds', String(p.stepSeconds), '--max-seconds', String(p.maxSeconds),
      '--protocol', sc.proto === 'json' ? 'json' : 'mqtt', '--qos', sc.proto === 'mqtt0' ? '0' : '1'],
      `${kind} ${sc.key}`);
    r.steps = events.filter((e) => e.event === 'step');
    r.ready = events.find((e) => e.event === 'ready') ?? null;
    const err = events.find((e) => e.event === 'error');
    if (err || code !== 0) r.error = err ? err.message : `loadgen exited ${code}`;
    if (exited !== null) r.serverExit = exited;
    await stopServer(server);
  }
  if (o.noIdle) return res;
  let server;
  try {
    server = await startServer(kind, o, logDir);
    log(`${kind} idle ${p.idle}, pid ${server.pid}`);
    const { code, events } = await runLoadgen(['--cs', server.cs, '--server-pid', String(server.pid),
      '--mode', 'idle', '--clients', String(p.idle), '--concurrency', '200', '--max-seconds', '240'], `${kind} idle`);
    const idle = events.find((e) => e.event === 'idle');
    const err = events.find((e) => e.event === 'error');
    res.idle = idle ?? { error: err ? err.message : `loadgen exited ${code}` };
  } catch (e) {
    res.idle = { error: e.message };
  }
  if (server) await stopServer(server);
  return res;
}

function scenarioKey(name, proto) {
  return proto === 'json' ? name : `${name} mqtt qos${proto.slice(4)}`;
}

function best(r) {
  if (!r) return null;
  let b = null;
  for (const s of r.steps) {
    if (!s.ok) break;
    b = s;
  }
  return b;
}

const mb = (kb) => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) : 'n/a');
const fmt = (x, d) => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

function summary(o, results) {
  const p = o.plan;
  const lines = [];
  const emu = results.emulator;
  const peer = results.peer;
  for (const sc of p.scenarios) {
    const e = emu?.scenarios[sc.name];
    const q = peer?.scenarios[sc.name];
    const be = best(e);
    const bq = best(q);
    const ref = e?.steps.find((s) => s.targetRate === p.referenceRate);
    const n = be ? be.targetRate : 0;
    const m = bq ? bq.targetRate : 0;
    let line = `${sc.name}: ${e ? n : 'n/a'} out msg/s, p99 ${ref ? fmt(ref.p99Ms, 1) : 'n/a'} ms, ` +
      `${be ? fmt(be.serverUsPerMsg, 2) : 'n/a'} us/msg, peer ${q ? m : 'n/a'} out msg/s, ` +
      `ratio ${n && m ? (n / m).toFixed(2) : 'n/a'}`;
    const notes = [];
    const saturated = (r, b) => {
      const next = r?.steps[r.steps.indexOf(b) + 1];
      return [b, next].some((s) => s && s.loadgenCpuPct >= 90);
    };
    if (be && be === e.steps[e.steps.length - 1] && be.targetRate === p.rates[p.rates.length - 1])
      notes.push('emulator passed the top step');
    if (bq && bq === q.steps[q.steps.length - 1] && bq.targetRate === p.rates[p.rates.length - 1])
      notes.push('peer passed the top step');
    if (be && saturated(e, be)) notes.push('loadgen saturated');
    if (e?.error) notes.push(`emulator: ${e.error}`);
    if (e?.serverExit !== null && e?.serverExit !== undefined) notes.push(`emulator exited ${e.serverExit}`);
    if (q?.error) notes.push(`peer: ${q.error}`);
    if (notes.length) line += ` (${notes.join('; ')})`;
    lines.push(line);
  }
  // MQTT beside json: CPU per delivered message compared at the same target rate (it falls as the rate rises),
  // the highest rate both passed.
  for (const sc of p.scenarios) {
    const j = emu?.scenarios[sc.name];
    for (const proto of o.protocols.filter((x) => x !== 'json')) {
      const key = scenarioKey(sc.name, proto);
      const r = emu?.scenarios[key];
      if (!r) continue;
      const b = best(r);
      let line = `${key}: ${b ? b.targetRate : 0} out msg/s, ${b ? fmt(b.serverUsPerMsg, 2) : 'n/a'} us/msg`;
      const okJ = new Map((j?.steps ?? []).filter((s) => s.ok).map((s) => [s.targetRate, s]));
      const both = r.steps.filter((s) => s.ok && okJ.has(s.targetRate));
      if (both.length) {
        const m = both[both.length - 1];
        const js = okJ.get(m.targetRate);
        line += `; at ${m.targetRate}/s: mqtt ${fmt(m.serverUsPerMsg, 2)} us/msg, json ${fmt(js.serverUsPerMsg, 2)} us/msg, ` +
          `cpu ratio ${fmt(m.serverUsPerMsg / js.serverUsPerMsg, 2)}`;
      }
      if (r.error) line += ` (${r.error})`;
      lines.push(line);
    }
  }
  const gen = [];
  for (const [kind, res] of Object.entries(results)) {
    for (const sc of p.scenarios) {
      const b = best(res.scenarios[sc.name]);
      const top = res.scenarios[sc.name]?.steps.reduce((a, s) => (s.loadgenCpuPct > (a?.loadgenCpuPct ?? -1) ? s : a), null);
      if (b) gen.push(`${kind} ${sc.name} ${fmt(b.loadgenCpuPct, 0)}% ${fmt(b.loadgenUsPerMsg, 1)} us/msg other ${fmt(b.otherCpuPct, 0)}%` +
        (top ? ` (max ${fmt(top.loadgenCpuPct, 0)}%)` : ''));
    }
  }
  lines.push(`loadgen: ${gen.length ? gen.join(', ') : 'n/a'} (CPU of one core at the best step, 100% = saturated; other = rest of the machine)`);
  const rss = (res, sc) => mb(res?.scenarios[sc]?.ready?.serverRssKb);
  lines.push(`rss ${p.clients}: ${rss(emu, p.scenarios[0].name)} MB, peer ${rss(peer, p.scenarios[0].name)} MB`);
  const idle = (res) => (res?.idle?.error ? `n/a (${res.idle.error})` : mb(res?.idle?.serverRssKb));
  if (!o.noIdle) lines.push(`idle ${p.idle}: ${idle(emu)} MB, peer ${idle(peer)} MB`);
  return lines;
}

function stepTable(results) {
  const rows = [];
  for (const [kind, res] of Object.entries(results)) {
    for (const [name, r] of Object.entries(res.scenarios)) {
      for (const s of r.steps) {
        rows.push(`${kind.padEnd(8)} ${name.padEnd(25)} ${String(s.targetRate).padStart(7)}/s  out ${String(s.outRate).padStart(7)}/s` +
          `  p50 ${fmt(s.p50Ms, 1).padStart(7)} ms  p99 ${fmt(s.p99Ms, 1).padStart(7)} ms  server ${fmt(s.serverUsPerMsg, 2).padStart(6)} us/msg` +
          ` ${fmt(s.serverCpuPct, 0).padStart(3)}%  loadgen ${fmt(s.loadgenCpuPct, 0).padStart(3)}%  other ${fmt(s.otherCpuPct, 0).padStart(3)}%  ${s.ok ? 'ok' : 'FAIL ' + s.failed.join('+')}` +
          (s.closedClients ? ` closed ${s.closedClients}` : '') +
          (s.closedSenders ? ` senders closed ${s.closedSenders}` : '') +
          (s.closeReasons?.length ? ` [${s.closeReasons.join(' | ')}]` : '') + (s.skippedSends ? ` skipped ${s.skippedSends}` : ''));
      }
    }
  }
  return rows;
}

async function main() {
  let o;
  try {
    o = parseArgs(process.argv);
  } catch (e) {
    log(e.message);
    process.exit(2);
  }
  const limit = openFileLimit();
  if (limit < o.plan.idle + 1024) {
    const n = Math.max(100, Math.floor((limit - 1024) / 100) * 100);
    log(`open-file limit ${limit} is too low for ${o.plan.idle} idle clients (run.sh raises it); using ${n}`);
    o.plan.idle = n;
  }
  if (o.servers.includes('emulator') && !fs.existsSync(o.emulator)) {
    log(`no emulator at ${o.emulator} (build the webpubsub-emulator target, or pass its path)`);
    process.exit(2);
  }
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wps-bench-'));
  log(`server logs in ${logDir}`);
  const watchdog = setTimeout(() => {
    log('overall time limit reached');
    process.exit(4);
  }, TOTAL_LIMIT_S * 1000);
  watchdog.unref();
  const results = {};
  for (const kind of o.servers) results[kind] = await runServer(kind, o, logDir);
  for (const row of stepTable(results)) process.stderr.write(`${row}\n`);
  if (o.json) fs.writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), plan: o.plan, results }, null, 1));
  for (const line of summary(o, results)) process.stdout.write(`${line}\n`);
  process.exit(0);
}

main();
