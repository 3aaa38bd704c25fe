// Renders a QR code as inline SVG for the enrolment page (no network, no external assets). The encoder is the
// one vendored inside qrcode-terminal (already a dependency), so no extra package is needed.
import { createRequire } from 'node:module';

interface QrEncoder {
  addData(data: string): void;
  make(): void;
  getModuleCount(): number;
  isDark(row: number, col: number): boolean;
}
type QrEncoderConstructor = new (typeNumber: number, errorCorrectLevel: number) => QrEncoder;

const require = createRequire(import.meta.url);
const QRCode = require('qrcode-terminal/vendor/QRCode/index.js') as QrEncoderConstructor;
const ErrorCorrectLevel = require('qrcode-terminal/vendor/QRCode/QRErrorCorrectLevel.js') as { M: number };

export function qrSvg(text: string, moduleSize = 4): string {
  const qr = new QRCode(-1, ErrorCorrectLevel.M);
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const quiet = 4;
  const size = (count + quiet * 2) * moduleSize;
  const rects: string[] = [];
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) {
      if (qr.isDark(row, col)) {
        rects.push(
          `M${(col + quiet) * moduleSize} ${(row + quiet) * moduleSize}h${moduleSize}v${moduleSize}h-${moduleSize}z`,
        );
      }
    }
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" ` +
    `role="img" aria-label="QR code">` +
    `<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="${rects.join('')}"/></svg>`
  );
}
