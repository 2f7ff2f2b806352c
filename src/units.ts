/** Parsers for the human units used in configuration: durations (`7d`, `10m`) and sizes (`32MB`). */

const DURATION_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const SIZE_BYTES: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export const DURATION_PATTERN = "^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)\\s*$";
export const SIZE_PATTERN = "^\\s*\\d+(\\.\\d+)?\\s*([kKmMgG]?[bB])?\\s*$";

/** `7d` → 604800000. Returns undefined for anything that is not a number followed by a unit. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * DURATION_MS[match[2]!]!);
}

/** `32MB` → 33554432 (binary multiples); a bare number is bytes. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmg]?b)?\s*$/i.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * SIZE_BYTES[(match[2] ?? "b").toLowerCase()]!);
}
