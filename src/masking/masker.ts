/**
 * Turns scanner matches into surrogates through the store (one round trip per call, however
 * many texts), and restores surrogates the tenant's store knows. Anything that merely looks
 * like a surrogate is left as it is and reported as unknown: the model invented it.
 */
import type { MappingStore, MaskItem } from "../store/types.ts";
import type { OriginalsMatcher } from "./originals-matcher.ts";
import { TenantMemory, type ChangeFeed, type TenantMemoryOptions } from "./tenant-memory.ts";
import { builtInCatalogue, literalSurrogateEntry } from "./catalogue/index.ts";
import { Scanner } from "./scanner.ts";
import { surrogateSyntax } from "./stream-restorer.ts";
import { SURROGATE_ROOTS, type CatalogueEntry, type MaskedEntity, type Match } from "./types.ts";

export type { MaskedEntity };

export interface MaskResult {
  masked: string[];
  /** One per distinct original, in first-seen order. */
  entities: MaskedEntity[];
  /** For each text, the indexes (into `entities`) of the values it contained. */
  perText: number[][];
  /**
   * By type, how many values only the tenant memory found (the catalogue found nothing there):
   * what the catalogue misses, for /metrics.
   */
  memoryHits: Record<string, number>;
}

export interface UnmaskResult {
  texts: string[];
  restored: { type: string; surrogate: string }[];
  unknown: string[];
}

export interface MaskerOptions {
  arnMode: "parts" | "whole";
  extraEntries?: readonly CatalogueEntry[];
  memory?: TenantMemoryOptions;
}

export class Masker {
  readonly scanner: Scanner;
  /** Every surrogate prefix root (AWS, SECRET, …, plus user patterns'). */
  readonly roots: string[];
  readonly surrogatePattern: RegExp;
  private readonly typeByPrefix = new Map<string, string>();
  /** Present when the store has a change feed (every real engine). */
  readonly memory?: TenantMemory;

  constructor(
    private readonly store: Pick<MappingStore, "getOrCreate" | "lookup"> & Partial<ChangeFeed>,
    options: MaskerOptions,
  ) {
    const extra = options.extraEntries ?? [];
    this.roots = [...new Set([...SURROGATE_ROOTS, ...extra.map((entry) => entry.prefix.split("_")[0]!)])];
    const entries = builtInCatalogue(options.arnMode);
    // The literal-surrogate entry must know user roots too.
    entries[0] = literalSurrogateEntry(this.roots);
    this.scanner = new Scanner([...entries, ...extra]);
    for (const entry of this.scanner.entries) {
      for (const { type, prefix } of entry.family ?? [entry]) if (!this.typeByPrefix.has(prefix)) this.typeByPrefix.set(prefix, type);
    }
    this.surrogatePattern = surrogateSyntax(this.roots).pattern;
    if (store.changesSince) {
      const feed = { changesSince: store.changesSince.bind(store) };
      this.memory = new TenantMemory(feed, (surrogate) => ({ type: this.typeOf(surrogate), prefix: surrogate.replace(/_\d+$/, "") }), options.memory);
    }
  }

  /** The tenant's memory of originals, up to date with the store (undefined without a feed). */
  async memoryOf(tenant: string): Promise<OriginalsMatcher | undefined> {
    return this.memory?.sync(tenant);
  }

  /**
   * Masks every catalogue match and every original the tenant's memory knows. `memory` is the
   * tenant's matcher when the caller has synced it already (one feed read per request).
   */
  async maskTexts(tenant: string, texts: readonly string[], memory?: OriginalsMatcher): Promise<MaskResult> {
    const known = memory ?? (await this.memoryOf(tenant));
    const memoryOnly: Match[] = [];
    const matches = texts.map((text) => this.scanner.scan(text, known?.find(text), memoryOnly));
    const memoryHits: Record<string, number> = {};
    for (const match of memoryOnly) memoryHits[match.type] = (memoryHits[match.type] ?? 0) + 1;
    const items: MaskItem[] = [];
    const indexByOriginal = new Map<string, number>();
    const perText = matches.map((list, t) => {
      const indexes = new Set<number>();
      for (const match of list) {
        const original = texts[t]!.slice(match.start, match.end);
        let index = indexByOriginal.get(original);
        if (index === undefined) {
          index = items.length;
          indexByOriginal.set(original, index);
          items.push({ type: match.type, prefix: match.prefix, original });
        }
        indexes.add(index);
      }
      return [...indexes];
    });
    if (items.length === 0) return { masked: [...texts], entities: [], perText, memoryHits };
    const surrogates = await this.store.getOrCreate(tenant, items);
    const masked = texts.map((text, t) => replaceMatches(text, matches[t]!, (original) => surrogates[indexByOriginal.get(original)!]!));
    return { masked, entities: items.map((item, i) => ({ type: item.type, surrogate: surrogates[i]!, original: item.original })), perText, memoryHits };
  }

  async unmaskTexts(tenant: string, texts: readonly string[]): Promise<UnmaskResult> {
    const found = new Set<string>();
    for (const text of texts) for (const m of text.matchAll(this.surrogatePattern)) found.add(m[0]);
    if (found.size === 0) return { texts: [...texts], restored: [], unknown: [] };
    const surrogates = [...found];
    const originals = await this.store.lookup(tenant, surrogates);
    const known = new Map<string, string>();
    const unknown: string[] = [];
    surrogates.forEach((surrogate, i) => {
      const original = originals[i];
      if (original === undefined) unknown.push(surrogate);
      else known.set(surrogate, original);
    });
    return {
      texts: texts.map((text) => (known.size === 0 ? text : text.replace(this.surrogatePattern, (s) => known.get(s) ?? s))),
      restored: [...known.keys()].map((surrogate) => ({ type: this.typeOf(surrogate), surrogate })),
      unknown,
    };
  }

  /**
   * The catalogue type a surrogate's prefix belongs to. ARN resource prefixes are built from
   * the ARN (`AWS_IAM_ROLE`), and so are their types (`arn_iam_role`, see catalogue/arn.ts).
   */
  typeOf(surrogate: string): string {
    const prefix = surrogate.replace(/_\d+$/, "");
    return this.typeByPrefix.get(prefix) ?? prefix.toLowerCase().replace(/^aws_/, "arn_");
  }
}

/** Builds the output in one pass: slices between matches joined once, never re-scanning. */
function replaceMatches(text: string, matches: readonly Match[], surrogateOf: (original: string) => string): string {
  if (matches.length === 0) return text;
  const parts: string[] = [];
  let last = 0;
  for (const match of matches) {
    parts.push(text.slice(last, match.start), surrogateOf(text.slice(match.start, match.end)));
    last = match.end;
  }
  parts.push(text.slice(last));
  return parts.join("");
}
