/**
 * Finds every sensitive value in a text in one call. Each entry's regex starts at a rare
 * literal, so the engine skips most of the text; entries that share a trigger (secret words,
 * `amazonaws.com`) share one pass over it and run sticky at its hits. Candidates are then
 * resolved in one sort and one sweep: longest first, then lower priority number, then type
 * name. Linear in the text for a fixed catalogue.
 */
import type { CatalogueEntry, Match } from "./types.ts";

interface Candidate extends Match {
  parts?: Match[];
}

interface AnchorGroup {
  anchor: RegExp;
  /** The group's entries, with their patterns made sticky. */
  entries: { entry: CatalogueEntry; sticky: RegExp }[];
}

export class Scanner {
  private readonly wholeText: CatalogueEntry[];
  private readonly anchored: AnchorGroup[];

  constructor(readonly entries: readonly CatalogueEntry[]) {
    this.wholeText = entries.filter((entry) => !entry.anchor);
    const groups = new Map<RegExp, AnchorGroup>();
    for (const entry of entries) {
      if (!entry.anchor) continue;
      const group = groups.get(entry.anchor) ?? { anchor: entry.anchor, entries: [] };
      group.entries.push({ entry, sticky: new RegExp(entry.pattern.source, entry.pattern.flags.replace("g", "") + "y") });
      groups.set(entry.anchor, group);
    }
    this.anchored = [...groups.values()];
  }

  /** Non-overlapping matches in text order; composite matches are replaced by their parts. */
  scan(text: string): Match[] {
    const candidates: Candidate[] = [];
    for (const entry of this.wholeText) {
      if (entry.hints && !entry.hints.some((hint) => text.includes(hint))) continue;
      for (const m of allMatches(entry.pattern, text)) addCandidate(candidates, entry, m, text);
    }
    for (const { anchor, entries } of this.anchored) {
      anchor.lastIndex = 0;
      for (let hit = anchor.exec(text); hit; hit = anchor.exec(text)) {
        for (const { entry, sticky } of entries) {
          sticky.lastIndex = hit.index;
          const m = sticky.exec(text);
          if (m && m[0].length > 0) addCandidate(candidates, entry, m, text);
        }
        // Hits may overlap (`hostedzone` holds `zone`): look again one character further.
        anchor.lastIndex = hit.index + 1;
      }
    }
    return resolveOverlaps(candidates);
  }
}

function addCandidate(candidates: Candidate[], entry: CatalogueEntry, m: RegExpExecArray, text: string): void {
  const groups = m.groups ?? {};
  const value = groups.value;
  const lead = entry.leadIn ? entry.leadIn(groups, text, m.index) : 0;
  const start = value === undefined ? m.index - lead : m.index + m[0].lastIndexOf(value);
  const matched = value ?? (entry.leadOnly ? groups.lead! : text.slice(start, m.index + m[0].length));
  if (entry.validate && !entry.validate(matched, text, start)) return;
  if (entry.expand) {
    const parts = entry.expand(m[0], m.index, groups);
    if (!parts) return;
    // A composite claims its span up to its last part, so nothing inside it is masked
    // piecemeal, while whatever follows its last part is still scanned by the others.
    // With no parts (an AWS-owned ARN) it claims the whole match.
    const end = parts.length ? Math.max(...parts.map((part) => part.end)) : m.index + m[0].length;
    candidates.push({ start: m.index, end, type: entry.type, prefix: entry.prefix, priority: entry.priority, parts });
    return;
  }
  const kind = entry.classify ? entry.classify(groups, matched) : entry;
  if (!kind) return;
  candidates.push({ start, end: start + matched.length, type: kind.type, prefix: kind.prefix, priority: entry.priority });
}

function* allMatches(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[0].length === 0) pattern.lastIndex++;
    else yield m;
  }
}

/** Greedy by preference; an interval is kept if it overlaps nothing kept before it. */
function resolveOverlaps(candidates: Candidate[]): Match[] {
  if (candidates.length === 0) return [];
  candidates.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.priority - b.priority || (a.type < b.type ? -1 : a.type > b.type ? 1 : a.start - b.start),
  );
  const kept: Candidate[] = [];
  const rejected: Candidate[] = [];
  for (const candidate of candidates) (insertIfFree(kept, candidate) ? null : rejected.push(candidate));

  // A composite (an ARN by parts) leaves the text between its parts readable, but a secret
  // sitting there (in an IAM path, say) must still be masked.
  const composites = kept.filter((match) => match.parts);
  const inner: Candidate[] = [];
  if (composites.length > 0) {
    const taken = composites.flatMap((composite) => composite.parts!).sort((a, b) => a.start - b.start) as Candidate[];
    for (const candidate of rejected) {
      if (!composites.some((c) => candidate.start >= c.start && candidate.end <= c.end)) continue;
      if (insertIfFree(taken, candidate)) inner.push(candidate);
    }
  }
  const result = kept.flatMap((match) => (match.parts ? match.parts : [match]));
  return inner.length ? [...result, ...inner].sort((a, b) => a.start - b.start) : result;
}

/** Inserts into a start-sorted list of disjoint intervals if it overlaps none (binary search). */
function insertIfFree(list: Candidate[], candidate: Candidate): boolean {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]!.start < candidate.start) lo = mid + 1;
    else hi = mid;
  }
  const before = list[lo - 1];
  const after = list[lo];
  if ((before && before.end > candidate.start) || (after && after.start < candidate.end)) return false;
  list.splice(lo, 0, candidate);
  return true;
}
