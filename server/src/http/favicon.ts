import type { RequestHandler } from 'express';

const SIZE = 32;

/**
 * /favicon.ico, drawn here rather than committed as a binary: a blue tile with a white answer sheet and
 * three ruled lines. Every browser asks for it on every page; without it each page load logs a 404.
 */
export function faviconIco(): Buffer {
  const pixel = (x: number, y: number): [number, number, number, number] => {
    const corner = Math.min(x, SIZE - 1 - x) + Math.min(y, SIZE - 1 - y) < 3;
    if (corner) return [0, 0, 0, 0];
    const onSheet = x >= 8 && x <= 23 && y >= 5 && y <= 26;
    const ruled = onSheet && x >= 11 && x <= 20 && [10, 15, 20].includes(y);
    if (ruled) return [29, 78, 216, 255]; // #1d4ed8
    if (onSheet) return [255, 255, 255, 255];
    return [29, 78, 216, 255];
  };
  const header = Buffer.alloc(6 + 16 + 40);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(1, 4); // one image
  const xor = Buffer.alloc(SIZE * SIZE * 4);
  const and = Buffer.alloc(SIZE * 4); // 1 bit per pixel, rows padded to 4 bytes; alpha does the masking
  const imageBytes = 40 + xor.length + and.length;
  header.writeUInt8(SIZE, 6);
  header.writeUInt8(SIZE, 7);
  header.writeUInt16LE(1, 10); // colour planes
  header.writeUInt16LE(32, 12); // bits per pixel
  header.writeUInt32LE(imageBytes, 14);
  header.writeUInt32LE(22, 18); // offset of the image
  // BITMAPINFOHEADER: height counts the XOR and AND halves together.
  header.writeUInt32LE(40, 22);
  header.writeInt32LE(SIZE, 26);
  header.writeInt32LE(SIZE * 2, 30);
  header.writeUInt16LE(1, 34);
  header.writeUInt16LE(32, 36);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = pixel(x, SIZE - 1 - y); // bottom-up rows
      xor.set([b, g, r, a], (y * SIZE + x) * 4);
    }
  return Buffer.concat([header, xor, and]);
}

export function faviconRoute(): RequestHandler {
  const icon = faviconIco();
  return (_req, res) => {
    res.type('image/x-icon').set('cache-control', 'public, max-age=86400').send(icon);
  };
}
