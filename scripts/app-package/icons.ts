// The Teams app icons, drawn in code so they are reproducible: a 192×192 full-colour icon (white shield on the
// accent colour) and the 32×32 outline icon Teams requires (white on transparent). PNG encoded with node:zlib.
import { deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodePng(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), row + 1 + x * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Shield in unit coordinates: straight sides down to 55 %, then tapering to a point at 85 %. */
function inShield(u: number, v: number, inset = 0): boolean {
  const top = 0.16 + inset;
  const bottom = 0.86 - inset * 1.6;
  if (v < top || v > bottom) return false;
  const shoulder = 0.55;
  const halfWidth = 0.32 - inset;
  const width = v <= shoulder ? halfWidth : halfWidth * ((bottom - v) / (bottom - shoulder));
  return Math.abs(u - 0.5) <= width;
}

/** The check mark inside the shield (two strokes). */
function inCheck(u: number, v: number): boolean {
  const near = (ax: number, ay: number, bx: number, by: number, r: number) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)));
    return Math.hypot(u - (ax + t * dx), v - (ay + t * dy)) <= r;
  };
  return near(0.36, 0.48, 0.46, 0.6, 0.045) || near(0.46, 0.6, 0.66, 0.36, 0.045);
}

function hexColor(hex: string): Rgba {
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16), 255];
}

const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

export function colorIcon(accent: string): Buffer {
  const background = hexColor(accent);
  const size = 192;
  return encodePng(size, (x, y) => {
    const u = (x + 0.5) / size;
    const v = (y + 0.5) / size;
    if (inShield(u, v) && !inCheck(u, v)) return WHITE;
    return background;
  });
}

export function outlineIcon(): Buffer {
  const size = 32;
  return encodePng(size, (x, y) => {
    const u = (x + 0.5) / size;
    const v = (y + 0.5) / size;
    return inShield(u, v) && !inShield(u, v, 0.07) ? WHITE : CLEAR;
  });
}
