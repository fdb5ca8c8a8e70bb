// The Teams app's two icons: a 192x192 colour icon and a 32x32 white-on-transparent outline icon,
// both drawing Herald's "H", antialiased by supersampling.
import { encodePng } from "./png.ts";

export const ACCENT = "#4F52B2";

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  r: number;
}

/** The "H", in units of the icon's side. */
const GLYPH: Box[] = [
  { x0: 0.28, y0: 0.25, x1: 0.41, y1: 0.75, r: 0.065 },
  { x0: 0.59, y0: 0.25, x1: 0.72, y1: 0.75, r: 0.065 },
  { x0: 0.3, y0: 0.44, x1: 0.7, y1: 0.56, r: 0 },
];

function inside(box: Box, x: number, y: number): boolean {
  if (x < box.x0 || x > box.x1 || y < box.y0 || y > box.y1) return false;
  const cx = Math.min(Math.max(x, box.x0 + box.r), box.x1 - box.r);
  const cy = Math.min(Math.max(y, box.y0 + box.r), box.y1 - box.r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= box.r ** 2;
}

/** Coverage of the glyph over each pixel, 0..1, sampled on a 4x4 grid. */
function coverage(size: number): Float32Array {
  const out = new Float32Array(size * size);
  const n = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let hits = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = (px + (sx + 0.5) / n) / size;
          const y = (py + (sy + 0.5) / n) / size;
          if (GLYPH.some((b) => inside(b, x, y))) hits++;
        }
      }
      out[py * size + px] = hits / (n * n);
    }
  }
  return out;
}

function hex(color: string): [number, number, number] {
  const v = Number.parseInt(color.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** 192x192, full-bleed accent background with a white glyph (Teams rounds the corners itself). */
export function colorIcon(size = 192): Uint8Array {
  const [r, g, b] = hex(ACCENT);
  const cover = coverage(size);
  const rgba = new Uint8Array(size * size * 4);
  cover.forEach((a, i) => {
    rgba.set([r + (255 - r) * a, g + (255 - g) * a, b + (255 - b) * a, 255].map(Math.round), i * 4);
  });
  return encodePng(size, size, rgba);
}

/** 32x32, white glyph on a transparent background, as Teams requires for outline icons. */
export function outlineIcon(size = 32): Uint8Array {
  const cover = coverage(size);
  const rgba = new Uint8Array(size * size * 4);
  cover.forEach((a, i) => {
    rgba.set([255, 255, 255, Math.round(a * 255)], i * 4);
  });
  return encodePng(size, size, rgba);
}
