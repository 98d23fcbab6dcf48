'use strict';
// A loopback TCP proxy between a WebSocket client and the emulator, for forced drops: cut() destroys every
// piped connection at once (no WebSocket close frame either way, so both ends see an abnormal drop), and
// pause()/resume() refuse new connections for a while (a client's reconnect attempts fail until resume()).
// Listens on 127.0.0.1 port 0 and only ever connects to 127.0.0.1.

const net = require('node:net');

class CuttingProxy {
  /** @param {number} targetPort emulator port on 127.0.0.1 */
  constructor(targetPort) {
    this.targetPort = targetPort;
    this.server = null;
    this.port = 0;
    this.pairs = new Set();
    this.accepted = 0; // connections piped through so far
    this.lastAcceptedAt = 0; // Date.now() of the last piped connection
    this.refused = 0; // connections destroyed because the proxy was paused
    this.paused = false;
  }

  /** Starts listening; resolves with the proxy's port. */
  async start() {
    this.server = net.createServer((downstream) => this.onConnection(downstream));
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', resolve);
    });
    this.port = this.server.address().port;
    return this.port;
  }

  onConnection(downstream) {
    if (this.paused) {
      this.refused += 1;
      downstream.destroy();
      return;
    }
    this.accepted += 1;
    this.lastAcceptedAt = Date.now();
    const upstream = net.connect(this.targetPort, '127.0.0.1');
    const pair = { downstream, upstream };
    this.pairs.add(pair);
    const drop = () => {
      downstream.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    downstream.on('error', drop);
    upstream.on('error', drop);
    downstream.on('close', drop);
    upstream.on('close', drop);
    downstream.pipe(upstream);
    upstream.pipe(downstream);
  }

  /** Number of live piped connections. */
  live() {
    return this.pairs.size;
  }

  /** Destroys every piped connection now (both sides see the TCP connection vanish). Returns how many. */
  cut() {
    const n = this.pairs.size;
    for (const { downstream, upstream } of [...this.pairs]) {
      downstream.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
    return n;
  }

  /** New connections are destroyed on arrival until resume(). */
  pause() {
    this.paused = true;
  }

  resume() {
    this.paused = false;
  }

  /** Cuts everything and stops listening. Safe to call more than once. */
  async stop() {
    this.cut();
    if (!this.server) return;
    const server = this.server;
    this.server = null;
    await new Promise((resolve) => server.close(() => resolve()));
  }
}

module.exports = { CuttingProxy };
