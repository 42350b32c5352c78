/** WCAG 2.x contrast, on the colours Chromium computes (`rgb()`, `rgba()`, `color(srgb …)`, `#rrggbb`). */

/** Red, green and blue in 0–255, alpha in 0–1. */
export type Rgba = readonly [number, number, number, number];

export const TEXT_MIN_RATIO = 4.5;
/** WCAG's large text (at least 24 px, or 18.66 px bold) and non-text parts such as focus rings. */
export const LARGE_TEXT_MIN_RATIO = 3;

export function parseCssColor(text: string): Rgba {
  const value = text.trim().toLowerCase();
  if (value === 'transparent') return [0, 0, 0, 0];
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(value);
  if (hex) {
    const channel = (at: number): number => parseInt(hex[1]!.slice(at, at + 2), 16);
    return [channel(0), channel(2), channel(4), hex[2] === undefined ? 1 : parseInt(hex[2], 16) / 255];
  }
  const srgb = /^color\(srgb\s+([^)]+)\)$/.exec(value);
  if (srgb) {
    const [rgb = '', alpha] = srgb[1]!.split('/');
    const [r = 0, g = 0, b = 0] = rgb.trim().split(/\s+/).map(Number);
    return [r * 255, g * 255, b * 255, alpha === undefined ? 1 : Number(alpha)];
  }
  const rgb = /^rgba?\(([^)]+)\)$/.exec(value);
  if (rgb) {
    const [r = 0, g = 0, b = 0, a = 1] = rgb[1]!
      .split(/[\s,/]+/)
      .filter(Boolean)
      .map(Number);
    return [r, g, b, a];
  }
  throw new Error(`unsupported colour: ${text}`);
}

/** `top` drawn over the opaque `bottom`. */
export function composite(top: Rgba, bottom: Rgba): Rgba {
  const alpha = top[3];
  return [0, 1, 2].map((index) => top[index]! * alpha + bottom[index]! * (1 - alpha)).concat(1) as unknown as Rgba;
}

/**
 * The colour seen through `layers`, listed from the element outwards (the element's own background
 * first); the page's white canvas lies under the last one.
 */
export function flatten(layers: readonly string[]): Rgba {
  return layers.map(parseCssColor).reduceRight<Rgba>((under, layer) => composite(layer, under), [255, 255, 255, 1]);
}

function relativeLuminance([r, g, b]: Rgba): number {
  const linear = (channel: number): number => {
    const value = channel / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** The ratio of two opaque colours, 1 to 21. */
export function contrastRatio(first: Rgba, second: Rgba): number {
  const [light, dark] = [relativeLuminance(first), relativeLuminance(second)].sort((a, b) => b - a) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** WCAG's "large scale" text: 18 pt, or 14 pt bold (1 pt = 4/3 px). */
export function isLargeText(fontSizePx: number, fontWeight: number): boolean {
  return fontSizePx >= 24 || (fontSizePx >= 18.66 && fontWeight >= 700);
}
