/**
 * Draws the Teams app icons: manifest/teams/color.png (192×192, full colour) and
 * manifest/teams/outline.png (32×32, white on transparent), as Teams requires. The shapes (a
 * speech bubble with a "t") are simple geometry sampled 4×4 per pixel for smooth edges, and the
 * PNGs are written with node:zlib, so no image library is needed. The PNGs are committed; run
 * `npx node scripts/make-teams-icons.ts` again only to change the design.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = [number, number, number, number];
/** A shape on the 192-unit design grid: is this point inside? */
type Shape = (x: number, y: number) => boolean;

export const accentColor = '#1F6F78';
const accent: Rgba = [0x1f, 0x6f, 0x78, 255];
const white: Rgba = [255, 255, 255, 255];

function roundedRect(x0: number, y0: number, x1: number, y1: number, radius: number): Shape {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + radius), x1 - radius);
    const cy = Math.min(Math.max(y, y0 + radius), y1 - radius);
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
  };
}

function triangle(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): Shape {
  const side = (px: number, py: number, qx: number, qy: number, x: number, y: number) => (qx - px) * (y - py) - (qy - py) * (x - px);
  return (x, y) => {
    const d1 = side(ax, ay, bx, by, x, y);
    const d2 = side(bx, by, cx, cy, x, y);
    const d3 = side(cx, cy, ax, ay, x, y);
    return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
  };
}

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));
const minus =
  (shape: Shape, hole: Shape): Shape =>
  (x, y) =>
    shape(x, y) && !hole(x, y);

// The design, on a 192×192 grid.
const bubble = union(roundedRect(30, 38, 162, 132, 26), triangle(52, 124, 92, 124, 44, 162));
const bubbleInside = union(roundedRect(42, 50, 150, 120, 15), triangle(62, 112, 84, 112, 56, 142));
const letterT = union(
  roundedRect(86, 56, 106, 112, 4), // stem
  roundedRect(70, 72, 124, 86, 4), // cross bar
  roundedRect(94, 100, 126, 112, 5), // foot
);

/** Renders layers (later ones on top) into RGBA pixels, sampling each pixel 4×4. */
function render(size: number, layers: { shape: Shape; color: Rgba }[], background: Rgba | null): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const scale = 192 / size;
  const samples = 4;
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let [r, g, b, a] = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const x = (px + (sx + 0.5) / samples) * scale;
          const y = (py + (sy + 0.5) / samples) * scale;
          let color: Rgba | null = background;
          for (const layer of layers) if (layer.shape(x, y)) color = layer.color;
          if (!color) continue;
          const alpha = color[3] / 255;
          r += color[0] * alpha;
          g += color[1] * alpha;
          b += color[2] * alpha;
          a += alpha;
        }
      }
      const offset = (py * size + px) * 4;
      const total = samples * samples;
      pixels[offset] = a > 0 ? Math.round(r / a) : 0;
      pixels[offset + 1] = a > 0 ? Math.round(g / a) : 0;
      pixels[offset + 2] = a > 0 ? Math.round(b / a) : 0;
      pixels[offset + 3] = Math.round((a / total) * 255);
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData) >>> 0);
  return Buffer.concat([length, typeAndData, crc]);
}

/** An 8-bit RGBA PNG (colour type 6), every scanline with filter 0. */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function colorIcon(): Buffer {
  // Full-bleed accent background, white bubble, accent "t".
  return encodePng(
    192,
    render(
      192,
      [
        { shape: bubble, color: white },
        { shape: letterT, color: accent },
      ],
      accent,
    ),
  );
}

export function outlineIcon(): Buffer {
  // White only, on transparency: the bubble's outline and the "t".
  return encodePng(
    32,
    render(
      32,
      [
        { shape: minus(bubble, bubbleInside), color: white },
        { shape: letterT, color: white },
      ],
      null,
    ),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const directory = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'manifest', 'teams');
  writeFileSync(path.join(directory, 'color.png'), colorIcon());
  writeFileSync(path.join(directory, 'outline.png'), outlineIcon());
  process.stdout.write(`Wrote color.png (192×192) and outline.png (32×32) in ${directory}\n`);
}
