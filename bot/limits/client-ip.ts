import type { IncomingMessage } from 'node:http';
import { isIPv4, isIPv6 } from 'node:net';

/**
 * The client's address for per-IP limits: the TCP peer, or — behind `trustedHops` reverse proxies that each append
 * the address they saw to X-Forwarded-For — the entry the outermost trusted proxy wrote. Entries further left are
 * the client's own claim and are never used. The result is a limit key (see `limitKey`), not an exact address.
 */
export function clientIp(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return limitKey(peer);
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  return limitKey(withoutPort(entries[entries.length - trustedHops] ?? peer));
}

/**
 * One key per client: an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, what a dual-stack socket reports) is its IPv4
 * address, and an IPv6 client is its /64 — one subscriber gets a whole /64 and could otherwise rotate through it.
 */
export function limitKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  if (isIPv4(bare) || !isIPv6(bare)) return bare;
  const groups = hextets(bare);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff].join('.');
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function hextets(address: string): number[] {
  let text = address.toLowerCase();
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number);
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((g) => parseInt(g, 16));
}

/**
 * Some proxies (App Service on Windows) write `address:port`; the port changes per connection and must not split a
 * client.
 */
function withoutPort(address: string): string {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (v4) return v4[1];
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(address);
  return v6 ? v6[1] : address;
}
