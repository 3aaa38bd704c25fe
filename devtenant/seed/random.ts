import { createHash } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const VARIANT = '89ab';
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const HEX8 = (n: number): string =>
  BYTE_HEX[n >>> 24] + BYTE_HEX[(n >>> 16) & 255] + BYTE_HEX[(n >>> 8) & 255] + BYTE_HEX[n & 255];

/** Deterministic PRNG (mulberry32): same seed, same tenant. Not for secrets of a real system. */
export class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  private word(): string {
    return HEX8(Math.floor(this.next() * 0x100000000));
  }
  hex(length: number): string {
    let s = '';
    while (s.length < length) s += this.word();
    return s.slice(0, length);
  }
  /** A version-4-shaped GUID. */
  guid(): string {
    const a = this.word();
    const b = this.word();
    const c = this.word();
    const d = this.word();
    return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${VARIANT[parseInt(c[0], 16) & 3]}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
  }
  base32(chars: number): string {
    let s = '';
    for (let i = 0; i < chars; i++) s += BASE32[Math.floor(this.next() * 32)];
    return s;
  }
}

/** base32 of the first 20 bytes of SHA-1(label): a stable TOTP secret for a fixed account. */
export function stableBase32Secret(label: string): string {
  const bytes = createHash('sha1').update(`devtenant-totp:${label}`).digest();
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

/** Graph's DateTimeOffset form: UTC with whole seconds, e.g. 2026-01-31T08:00:00Z. */
export function isoSeconds(d: Date | number): string {
  return `${new Date(d).toISOString().slice(0, 19)}Z`;
}
