'use strict';
// Starts the real `webpubsub-emulator` binary on 127.0.0.1 port 0 and reads the connection string it prints
// as its first stdout line. The process is always killed again (stop(), and on process exit as a last resort).

const { spawn } = require('node:child_process');
const fs = require('node:fs');

const START_TIMEOUT_MS = 20000;
const STOP_TIMEOUT_MS = 5000;

/** Path of the emulator: env WPS_EMULATOR_BIN (set by ctest), else the first CLI argument that is not an option. */
function emulatorBinary() {
  if (process.env.WPS_EMULATOR_BIN) return process.env.WPS_EMULATOR_BIN;
  const arg = process.argv.slice(2).find((a) => !a.startsWith('-'));
  return arg || '';
}

/** Hides the access key of a connection string (secrets never go into test output). */
function redact(text) {
  return String(text).replace(/(AccessKey=)[^;\s]*/gi, '$1***');
}

/** Parses `Endpoint=...;AccessKey=...;Version=1.0;` into its parts (keys case-insensitive). */
function parseConnectionString(cs) {
  const parts = {};
  for (const piece of cs.split(';')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts[piece.slice(0, eq).trim().toLowerCase()] = piece.slice(eq + 1).trim();
  }
  return { endpoint: parts.endpoint, accessKey: parts.accesskey, version: parts.version, port: parts.port };
}

class Emulator {
  constructor() {
    this.child = null;
    this.stderr = '';
    this.connectionString = '';
    this.exitInfo = null;
    this.onProcessExit = () => this.child && this.child.exitCode === null && this.child.kill('SIGKILL');
  }

  /** Starts the emulator with `--host 127.0.0.1 --port 0` plus extraArgs; resolves with the connection string. */
  async start(extraArgs = []) {
    const bin = emulatorBinary();
    if (!bin) throw new Error('no emulator binary: set WPS_EMULATOR_BIN or pass its path as first argument');
    try {
      fs.accessSync(bin, fs.constants.X_OK);
    } catch {
      throw new Error(`emulator binary is not executable: ${bin}`);
    }
    const child = spawn(bin, ['--host', '127.0.0.1', '--port', '0', ...extraArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    process.on('exit', this.onProcessExit);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      if (this.stderr.length < 64 * 1024) this.stderr += d;
    });
    child.stdout.setEncoding('utf8');
    let stdout = '';
    this.connectionString = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`emulator printed no connection string within ${START_TIMEOUT_MS} ms; ` +
                         `stderr: ${redact(this.stderr)}`));
      }, START_TIMEOUT_MS);
      const fail = (why) => {
        clearTimeout(timer);
        reject(new Error(`${why}; stdout: ${redact(stdout)}; stderr: ${redact(this.stderr)}`));
      };
      child.on('error', (e) => fail(`emulator failed to start: ${e.message}`));
      child.on('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        fail(`emulator exited early (code ${code}, signal ${signal})`);
      });
      child.stdout.on('data', (d) => {
        stdout += d;
        const nl = stdout.indexOf('\n');
        if (nl >= 0) {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.on('exit', (code, signal) => {
            this.exitInfo = { code, signal };
          });
          resolve(stdout.slice(0, nl).trim());
        }
      });
    });
    // Keep draining stdout so the emulator never blocks on a full pipe.
    child.stdout.resume();
    return this.connectionString;
  }

  /** True while the emulator process runs. */
  running() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Kills the emulator and waits (bounded) until it is gone. Safe to call more than once. */
  async stop() {
    const child = this.child;
    if (!child) return;
    process.removeListener('exit', this.onProcessExit);
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref())]);
    }
    child.stdout.destroy();
    child.stderr.destroy();
    this.child = null;
  }
}

module.exports = { Emulator, emulatorBinary, parseConnectionString, redact };
