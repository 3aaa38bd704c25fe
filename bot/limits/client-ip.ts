import type { IncomingMessage } from 'node:http';

/**
 * The client's address for per-IP limits: the TCP peer, or — behind `trustedHops` reverse proxies that each append
 * the address they saw to X-Forwarded-For — the entry the outermost trusted proxy wrote. Entries further left are
 * the client's own claim and are never used.
 */
export function clientIp(req: IncomingMessage, trustedHops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (trustedHops === 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((e) => e.trim()).filter(Boolean);
  return withoutPort(entries[entries.length - trustedHops] ?? peer);
}

/** Some proxies (App Service on Windows) write `address:port`; the port changes per connection and must not split a client. */
function withoutPort(address: string): string {
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(address);
  if (v4) return v4[1];
  const v6 = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(address);
  return v6 ? v6[1] : address;
}
