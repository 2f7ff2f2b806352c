/**
 * Finds every sensitive value in a text in one call. Each catalogue entry whose hints occur
 * runs once over the text; candidates are then resolved in one sort and one sweep: longest
 * first, then lower priority number, then type name. Linear in the text for a fixed catalogue.
 */
import type { CatalogueEntry, Match } from "./types.ts";

interface Candidate extends Match {
  parts?: Match[];
}

export class Scanner {
  constructor(readonly entries: readonly CatalogueEntry[]) {}

  /** Non-overlapping matches in text order; composite matches are replaced by their parts. */
  scan(text: string): Match[] {
    const candidates: Candidate[] = [];
    for (const entry of this.entries) {
      if (entry.hints && !entry.hints.some((hint) => text.includes(hint))) continue;
      const pattern = entry.pattern;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        if (m[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        const value = m.groups?.value;
        const start = value === undefined ? m.index : m.index + m[0].lastIndexOf(value);
        const matched = value ?? m[0];
        if (entry.validate && !entry.validate(matched, text, start)) continue;
        if (entry.expand) {
          const parts = entry.expand(m[0], m.index, m.groups ?? {});
          if (!parts) continue;
          // An AWS-owned ARN still claims its span, so nothing inside it is masked piecemeal.
          candidates.push({ start: m.index, end: m.index + m[0].length, type: entry.type, prefix: entry.prefix, priority: entry.priority, parts });
          continue;
        }
        candidates.push({ start, end: start + matched.length, type: entry.type, prefix: entry.prefix, priority: entry.priority });
      }
    }
    return resolveOverlaps(candidates);
  }
}

/** Greedy by preference; an interval is kept if it overlaps nothing kept before it. */
function resolveOverlaps(candidates: Candidate[]): Match[] {
  if (candidates.length === 0) return [];
  candidates.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.priority - b.priority || (a.type < b.type ? -1 : a.type > b.type ? 1 : a.start - b.start),
  );
  const kept: Candidate[] = [];
  // Kept intervals stay sorted by start, so each overlap test is a binary search.
  for (const candidate of candidates) {
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (kept[mid]!.start < candidate.start) lo = mid + 1;
      else hi = mid;
    }
    const before = kept[lo - 1];
    const after = kept[lo];
    if ((before && before.end > candidate.start) || (after && after.start < candidate.end)) continue;
    kept.splice(lo, 0, candidate);
  }
  return kept.flatMap((match) => (match.parts ? match.parts : [match]));
}
