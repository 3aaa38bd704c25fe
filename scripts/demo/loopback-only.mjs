// Node preload (`NODE_OPTIONS=--import <this file>`) for the local demo's child processes, the Agents Playground
// above all: it listens on every interface and has no --host option, and its telemetry SDK reaches for Azure.
// - every listening socket is forced onto 127.0.0.1 (unless already on a loopback address);
// - every outbound TCP connection to a non-loopback host is refused before any DNS lookup, and reported on stderr
//   as "[loopback-only] refused …" so a test can prove that nothing tried to leave the machine.
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', '::1', '0:0:0:0:0:0:0:1']);

function isLoopback(host) {
  if (typeof host !== 'string' || host === '') return true; // Node's default connect host is localhost
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return LOOPBACK_NAMES.has(bare) || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(bare);
}

const originalListen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const [first] = args;
  if (first !== null && typeof first === 'object' && !Array.isArray(first)) {
    const isSocketOrHandle =
      typeof first.path === 'string' || typeof first.fd === 'number' || '_handle' in first || 'handle' in first;
    if (!isSocketOrHandle && !isLoopback(first.host ?? '0.0.0.0')) args[0] = { ...first, host: '127.0.0.1' };
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    if (typeof args[1] === 'string') {
      if (!isLoopback(args[1])) args[1] = '127.0.0.1';
    } else {
      args.splice(1, 0, '127.0.0.1');
    }
  } else if (first === undefined || typeof first === 'function') {
    args.unshift(0, '127.0.0.1');
  }
  return originalListen.apply(this, args);
};

function connectTarget(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first !== null && typeof first === 'object') {
    if (typeof first.path === 'string' && first.host === undefined) return undefined; // IPC (http passes path: null)
    return { host: first.host ?? 'localhost', port: first.port };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // IPC path
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: first };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function connectToLoopbackOnly(...args) {
  const target = connectTarget(args);
  if (target && !isLoopback(target.host)) {
    process.stderr.write(`[loopback-only] refused outbound connection to ${target.host}:${target.port}\n`);
    const error = Object.assign(
      new Error(`connect ECONNREFUSED ${target.host}:${target.port} (loopback-only preload)`),
      { code: 'ECONNREFUSED' },
    );
    process.nextTick(() => this.destroy(error));
    return this;
  }
  return originalConnect.apply(this, args);
};
