/**
 * How far two bodies share their beginning or their end, by native byte comparison: blocks
 * first (bodies differ late, if at all), then a binary search inside the first differing one.
 */

const BLOCK = 4_096;

const equalRange = (a: Buffer, aStart: number, b: Buffer, bStart: number, length: number) =>
  a.compare(b, bStart, bStart + length, aStart, aStart + length) === 0;

/** Length of the longest common prefix of `a` and `b`. */
export function commonPrefix(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  let lo = 0;
  while (lo + BLOCK <= n && equalRange(a, lo, b, lo, BLOCK)) lo += BLOCK;
  let hi = Math.min(n, lo + BLOCK);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (equalRange(a, lo, b, lo, mid - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Length of the longest common suffix of `a` and `b`, at most `limit`. */
export function commonSuffix(a: Buffer, b: Buffer, limit: number): number {
  const n = Math.min(a.length, b.length, limit);
  const tailA = (length: number) => a.length - length;
  const tailB = (length: number) => b.length - length;
  let lo = 0;
  while (lo + BLOCK <= n && equalRange(a, tailA(lo + BLOCK), b, tailB(lo + BLOCK), BLOCK)) lo += BLOCK;
  let hi = Math.min(n, lo + BLOCK);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (equalRange(a, tailA(mid), b, tailB(mid), mid - lo)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
