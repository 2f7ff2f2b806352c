/**
 * Finds every sensitive value in a text in one call. Most catalogue entries name a rare
 * character their matches contain (a trigger, see `Trigger`); one shared pass finds every
 * trigger, and each entry's own regex then runs, sticky, only at the starts they point to.
 * The engine tests each character of the text against one small set and looks further only
 * at the few in it, so the text is read once instead of once per entry. Entries without
 * triggers (user patterns) run over the whole text. Candidates are then resolved in one sort
 * and one sweep: longest first, then lower priority number, then type name. Linear in the
 * text for a fixed catalogue.
 */
import type { CatalogueEntry, ExtendMemo, Match, Trigger } from "./types.ts";

interface Candidate extends Match {
  parts?: Match[];
}

/** An entry run at trigger hits: its pattern made sticky. */
interface Triggered {
  entry: CatalogueEntry;
  sticky: RegExp;
}

/** Who a trigger points to: a triggered entry, and how far before the trigger it starts. */
interface TriggerUser {
  index: number;
  back: readonly number[];
}

/** Every trigger condition for one character, checked at once where the character is hit. */
interface CharChecks {
  whens: string[];
  /** The entries each condition points to. */
  users: TriggerUser[][];
  /** Sticky just after the character: capture i + 1 is defined where `whens[i]` holds. */
  sticky?: RegExp;
}

export class Scanner {
  private readonly wholeText: CatalogueEntry[];
  private readonly triggered: Triggered[];
  /** Finds every position where some trigger holds; undefined when no entry has triggers. */
  private readonly sharedPass?: RegExp;
  /** The trigger conditions to check at a hit, by the hit's character code. */
  private readonly checksByChar = new Map<number, CharChecks>();

  constructor(readonly entries: readonly CatalogueEntry[]) {
    this.wholeText = entries.filter((entry) => !entry.triggers);
    this.triggered = entries
      .filter((entry) => entry.triggers)
      .map((entry) => ({ entry, sticky: new RegExp(entry.pattern.source, entry.pattern.flags.replace("g", "") + "y") }));
    this.triggered.forEach(({ entry }, index) => {
      for (const { chars, when = "", back = [0] } of entry.triggers!) {
        // Captures would shift the groups that tell which conditions held.
        if (new RegExp(`${when}|`).exec("")!.length > 1) throw new Error(`${entry.type}: a trigger condition must not capture (${when})`);
        for (const char of new Set(chars)) this.addCheck(char.charCodeAt(0), when, { index, back });
      }
    });
    // One call per hit tells which of the character's conditions hold: an empty group after
    // each, in an alternation with nothing (an optional group would never keep an empty match).
    for (const checks of this.checksByChar.values()) checks.sticky = new RegExp(checks.whens.map((when) => `(?:(?=${when})()|)`).join(""), "y");
    if (this.triggered.length > 0) this.sharedPass = sharedPassFor(this.triggered.flatMap(({ entry }) => entry.triggers!));
  }

  /** Records that `when`, at character `code`, points to `user`. */
  private addCheck(code: number, when: string, user: TriggerUser): void {
    const checks = this.checksByChar.get(code) ?? { whens: [], users: [] };
    this.checksByChar.set(code, checks);
    let i = checks.whens.indexOf(when);
    if (i === -1) i = checks.whens.push(when) - 1;
    (checks.users[i] ??= []).push(user);
  }

  /**
   * Non-overlapping matches in text order; composite matches are replaced by their parts.
   * `known` are matches found otherwise (the tenant memory's), resolved with the catalogue's;
   * those kept where the catalogue found nothing of the same span are added to `knownOnly`.
   */
  scan(text: string, known: readonly Match[] = [], knownOnly?: Match[]): Match[] {
    const candidates: Candidate[] = [...known];
    for (const entry of this.wholeText) {
      if (entry.hints && !entry.hints.some((hint) => text.includes(hint))) continue;
      const memo: ExtendMemo = {};
      const pattern = entry.pattern;
      pattern.lastIndex = 0;
      for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
        if (m[0].length === 0) {
          pattern.lastIndex++;
          continue;
        }
        // An extended match goes on where its tail ends, as a global regex would have.
        const end = addCandidate(candidates, entry, m, text, memo);
        if (entry.extend && end !== undefined && end > pattern.lastIndex) pattern.lastIndex = end;
      }
    }
    if (this.sharedPass) {
      const starts = this.triggerStarts(text);
      this.triggered.forEach((triggered, index) => {
        if (starts[index]!.length > 0) runAt(triggered, sortedUnique(starts[index]!), text, candidates);
      });
    }
    // Before resolving: it sorts the candidates in place.
    const catalogue = knownOnly && known.length > 0 ? candidates.slice(known.length) : undefined;
    const matches = resolveOverlaps(candidates);
    if (catalogue) collectKnownOnly(matches, known, catalogue, knownOnly!);
    return matches;
  }

  /** For each triggered entry, the starts its triggers point to (unsorted, maybe repeated). */
  private triggerStarts(text: string): number[][] {
    const starts: number[][] = this.triggered.map(() => []);
    const pass = this.sharedPass!;
    pass.lastIndex = 0;
    while (pass.test(text)) {
      const at = pass.lastIndex - 1; // the pass consumes only the trigger character
      const checks = this.checksByChar.get(text.charCodeAt(at))!;
      // With one condition, the pass has just checked it: no second look.
      let held: RegExpExecArray | undefined;
      if (checks.whens.length > 1) {
        checks.sticky!.lastIndex = at + 1;
        held = checks.sticky!.exec(text)!; // always matches: each condition may be skipped
      }
      for (let i = 0; i < checks.users.length; i++) {
        if (held && held[i + 1] === undefined) continue;
        for (const { index, back } of checks.users[i]!) for (const b of back) if (at >= b) starts[index]!.push(at - b);
      }
    }
    return starts;
  }
}

function charClass(chars: string): string {
  return `[${chars.replace(/[\\\]^-]/g, "\\$&")}]`;
}

/**
 * One regex for every trigger, grouped by character: the engine then tests each character of
 * the text against one small set and looks further only at the few that are in it.
 */
function sharedPassFor(triggers: readonly Trigger[]): RegExp {
  const whensByChars = new Map<string, Set<string>>();
  for (const { chars, when = "" } of triggers) whensByChars.set(chars, (whensByChars.get(chars) ?? new Set()).add(when));
  // Each condition in a lookahead: the pass then consumes only the character, and the next
  // search starts right after it (triggers of different entries may sit on one character).
  const groups = [...whensByChars].map(([chars, whens]) => `${charClass(chars)}(?=${[...whens].join("|")})`);
  return new RegExp(groups.join("|"), "g");
}

/**
 * Runs an entry at the given starts (ascending). Unless it takes every start, a start inside
 * its previous match is skipped, exactly as a global regex would skip it.
 */
function runAt({ entry, sticky }: Triggered, starts: number[], text: string, candidates: Candidate[]): void {
  let lastEnd = 0;
  const memo: ExtendMemo = {};
  for (const start of starts) {
    if (start < lastEnd) continue;
    sticky.lastIndex = start;
    const m = sticky.exec(text);
    if (!m || m[0].length === 0) continue;
    const end = addCandidate(candidates, entry, m, text, memo);
    if (!entry.everyStart) lastEnd = Math.max(start + m[0].length, end ?? 0);
  }
}

function sortedUnique(values: number[]): number[] {
  values.sort((a, b) => a - b);
  return values.filter((value, i) => i === 0 || value !== values[i - 1]);
}

/** Adds the candidate a match stands for; returns where the match ends (after `extend`). */
function addCandidate(candidates: Candidate[], entry: CatalogueEntry, m: RegExpExecArray, text: string, memo: ExtendMemo): number | undefined {
  const groups = m.groups ?? {};
  let value = groups.value;
  const lead = entry.leadIn ? entry.leadIn(groups, text, m.index) : 0;
  let matchEnd = m.index + m[0].length;
  let start: number;
  if (entry.extend) {
    // The value (if any) is the end of the match, and grows with it.
    const end = entry.extend(text, matchEnd, memo, groups);
    if (end === undefined) return undefined;
    start = value === undefined ? m.index - lead : matchEnd - value.length;
    matchEnd = end;
    if (value !== undefined) value = text.slice(start, end);
  } else start = value === undefined ? m.index - lead : m.index + m[0].lastIndexOf(value);
  const matched = value ?? (entry.leadOnly ? groups.lead! : text.slice(start, matchEnd));
  if (entry.validate && !entry.validate(matched, text, start)) return matchEnd;
  if (entry.expand) {
    // With a lead-in, the composite starts where the lead does (a host read back from its domain).
    const from = m.index - lead;
    const parts = entry.expand(lead ? text.slice(from, m.index + m[0].length) : m[0], from, groups);
    if (!parts) return;
    // A composite claims its span up to its last part, so nothing inside it is masked
    // piecemeal, while whatever follows its last part is still scanned by the others.
    // With no parts (an AWS-owned ARN) it claims the whole match.
    let end = m.index + m[0].length;
    if (parts.length) {
      end = 0;
      for (const part of parts) end = Math.max(end, part.end);
    }
    candidates.push({ start: from, end, type: entry.type, prefix: entry.prefix, priority: entry.priority, parts });
    return matchEnd;
  }
  const kind = entry.classify ? entry.classify(groups, matched) : entry;
  if (!kind) return matchEnd;
  candidates.push({ start, end: start + matched.length, type: kind.type, prefix: kind.prefix, priority: entry.priority });
  return matchEnd;
}

/** Greedy by preference; an interval is kept if it overlaps nothing kept before it. */
/** The kept `known` matches that no catalogue candidate found with the same span. */
function collectKnownOnly(matches: readonly Match[], known: readonly Match[], catalogue: readonly Candidate[], out: Match[]): void {
  const isKnown = new Set(known);
  const kept = matches.filter((match) => isKnown.has(match));
  if (kept.length === 0) return;
  const spans = new Set(catalogue.flatMap((candidate) => [candidate, ...(candidate.parts ?? [])]).map((c) => `${c.start}:${c.end}`));
  for (const match of kept) if (!spans.has(`${match.start}:${match.end}`)) out.push(match);
}

/**
 * Candidates that overlap nothing are kept as they are; only clusters of overlapping ones go
 * through the preference order. Greedy choices in one cluster cannot touch another, so this
 * is the same result as resolving all of them at once, at the cost of one sort by start.
 */
function resolveOverlaps(candidates: Candidate[]): Match[] {
  if (candidates.length === 0) return [];
  candidates.sort((a, b) => a.start - b.start);
  const result: Match[] = [];
  let from = 0;
  let clusterEnd = candidates[0]!.end;
  for (let i = 1; i <= candidates.length; i++) {
    const next = candidates[i];
    if (next && next.start < clusterEnd) {
      if (next.end > clusterEnd) clusterEnd = next.end;
      continue;
    }
    if (i - from === 1) {
      const only = candidates[from]!;
      if (only.parts) result.push(...only.parts);
      else result.push(only);
    } else for (const match of resolveCluster(candidates.slice(from, i))) result.push(match);
    from = i;
    if (next) clusterEnd = next.end;
  }
  return result;
}

function resolveCluster(candidates: Candidate[]): Match[] {
  candidates.sort(
    (a, b) => b.end - b.start - (a.end - a.start) || a.priority - b.priority || (a.type < b.type ? -1 : a.type > b.type ? 1 : a.start - b.start),
  );
  const kept: Candidate[] = [];
  const rejected: Candidate[] = [];
  const keptSet = new IntervalSet(candidates.map((candidate) => candidate.start));
  for (const candidate of candidates) (keptSet.insertIfFree(candidate.start, candidate.end) ? kept : rejected).push(candidate);
  kept.sort((a, b) => a.start - b.start);

  // A composite (an ARN by parts) leaves the text between its parts readable, but a secret
  // sitting there (in an IAM path, say) must still be masked.
  const composites = kept.filter((match) => match.parts);
  const inner: Candidate[] = [];
  if (composites.length > 0) {
    const parts = composites.flatMap((composite) => composite.parts!);
    const takenSet = new IntervalSet([...parts.map((part) => part.start), ...rejected.map((candidate) => candidate.start)]);
    for (const part of parts) takenSet.insertIfFree(part.start, part.end);
    for (const candidate of rejected) {
      if (!insideOne(composites, candidate)) continue;
      if (takenSet.insertIfFree(candidate.start, candidate.end)) inner.push(candidate);
    }
  }
  const result = kept.flatMap((match) => (match.parts ? match.parts : [match]));
  return inner.length ? [...result, ...inner].sort((a, b) => a.start - b.start) : result;
}

/** Whether `candidate` lies inside one of `sorted` (start-sorted, disjoint): binary search. */
function insideOne(sorted: readonly Candidate[], candidate: Candidate): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.start <= candidate.start) lo = mid + 1;
    else hi = mid;
  }
  const container = sorted[lo - 1];
  return container !== undefined && candidate.end <= container.end;
}

/**
 * Disjoint intervals over a fixed set of possible starts, each insert and overlap test in
 * O(log n) (a Fenwick tree counting kept starts): a sorted array spliced at every insert is
 * quadratic when a text holds hundreds of thousands of candidates.
 */
class IntervalSet {
  private readonly starts: Float64Array;
  private readonly tree: Int32Array;
  private readonly ends: Float64Array;
  private readonly top: number;

  constructor(possibleStarts: number[]) {
    const sorted = Float64Array.from(possibleStarts).sort();
    let n = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[n++] = sorted[i]!;
    this.starts = sorted.subarray(0, n);
    this.tree = new Int32Array(n + 1);
    this.ends = new Float64Array(n);
    let top = 1;
    while (top * 2 <= n) top *= 2;
    this.top = top;
  }

  /** Index of the first possible start ≥ position. */
  private lowerBound(position: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid]! < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** How many kept intervals start at one of the first `count` possible starts. */
  private prefix(count: number): number {
    let sum = 0;
    for (let i = count; i > 0; i -= i & -i) sum += this.tree[i]!;
    return sum;
  }

  /** The index of the `k`-th kept start (1-based k). */
  private kth(k: number): number {
    let position = 0;
    for (let step = this.top; step > 0; step >>= 1) {
      const next = position + step;
      if (next < this.tree.length && this.tree[next]! < k) {
        position = next;
        k -= this.tree[next]!;
      }
    }
    return position; // 0-based index of the k-th kept start
  }

  insertIfFree(start: number, end: number): boolean {
    const first = this.lowerBound(start);
    const before = this.prefix(first);
    // Any kept interval starting inside [start, end)?
    if (this.prefix(this.lowerBound(end)) > before) return false;
    // The last kept interval starting before `start` must end by `start`.
    if (before > 0 && this.ends[this.kth(before)]! > start) return false;
    this.ends[first] = end;
    for (let i = first + 1; i < this.tree.length; i += i & -i) this.tree[i] = this.tree[i]! + 1;
    return true;
  }
}
