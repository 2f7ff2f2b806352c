/**
 * Hostile inputs (see adversarial-shapes.ts): about 1 MB each, built to make a pattern re-read
 * what it has read. A correctness suite, not a timing one: every scan must end (the per-test
 * timeout is the guard; a quadratic pattern takes minutes on 1 MB) and find exactly what it
 * should: the exact match count of each hand-written shape, the two real values planted in
 * the middle of every shape, and, on a short cut of each shape, exactly what the reference
 * scanner (every pattern over the whole text, `everyStart` entries at every position) finds.
 * Shapes are also derived from every catalogue entry, so a new entry is covered by itself.
 */
import { describe, expect, test } from "bun:test";
import { builtInCatalogue } from "../../src/masking/catalogue/index.ts";
import { Scanner } from "../../src/masking/scanner.ts";
import type { CatalogueEntry, Match } from "../../src/masking/types.ts";
import { CANARIES, ENTRY_SAMPLES, FIXED_SHAPES, MB, entryShapes, sampleMatch, withCanaries, type Shape } from "./adversarial-shapes.ts";
import { referenceScanner } from "./reference-scanner.ts";

/** A quadratic pattern takes minutes on these inputs; a linear one well under a second. */
const TIMEOUT = 10_000;
/** The reference scanner is itself quadratic: the cross-check runs on a short cut. */
const REFERENCE_SIZE = 3_000;

const catalogue = builtInCatalogue("parts");
const scanner = new Scanner(catalogue);
const derived = entryShapes(catalogue);

/** The canaries come out exactly, and nothing else touches them. */
function expectCanaries(shape: Shape): void {
  const { text, canaryStarts } = withCanaries(shape.make(MB));
  const matches = scanner.scan(text);
  CANARIES.forEach((canary, i) => {
    const start = canaryStarts[i]!;
    const end = start + canary.text.length;
    const touching = matches.filter((m) => m.start < end + 1 && m.end > start - 1);
    expect(touching.map(({ start, end, type }) => ({ start, end, type }))).toEqual([{ start, end, type: canary.type }]);
  });
  expectWellFormed(matches, text.length);
}

/** Sorted, disjoint, non-empty, inside the text. */
function expectWellFormed(matches: Match[], length: number): void {
  let last = 0;
  for (const m of matches) {
    expect(m.start).toBeGreaterThanOrEqual(last);
    expect(m.end).toBeGreaterThan(m.start);
    last = m.end;
  }
  expect(last).toBeLessThanOrEqual(length);
}

function expectSameAsReference(shape: Shape, entries: readonly CatalogueEntry[] = catalogue): void {
  const text = withCanaries(shape.make(REFERENCE_SIZE)).text;
  expect(new Scanner(entries).scan(text)).toEqual(referenceScanner(entries, text).scan(text));
}

describe("hand-written hostile shapes at 1 MB", () => {
  test("there are at least 30 of them", () => expect(FIXED_SHAPES.length).toBeGreaterThanOrEqual(30));
  for (const shape of FIXED_SHAPES) {
    test(
      shape.name,
      () => {
        const filler = shape.make(MB);
        expect(filler.length).toBe(MB);
        const matches = scanner.scan(filler);
        expect(matches.length).toBe(shape.matches!);
        expectWellFormed(matches, filler.length);
        expectCanaries(shape);
        expectSameAsReference(shape);
      },
      TIMEOUT,
    );
  }
});

describe("shapes derived from every catalogue entry at 1 MB", () => {
  test("every entry of the built-in catalogue (both ARN modes) has a sample and derived shapes", () => {
    for (const mode of ["parts", "whole"] as const) {
      const entries = builtInCatalogue(mode);
      const covered = new Set(entryShapes(entries).map((shape) => shape.entry!.index));
      const missing = entries.map((entry, index) => ({ index, type: entry.type })).filter(({ index }) => !covered.has(index));
      // A new entry needs a sample in ENTRY_SAMPLES (adversarial-shapes.ts) holding a match of it.
      expect(missing).toEqual([]);
      expect(new Set(entries.map((entry) => entry.type))).toEqual(new Set(entryShapes(entries).map((shape) => shape.entry!.type)));
    }
  });

  test("an entry added to the catalogue list is picked up", () => {
    const extra: CatalogueEntry = {
      type: "corp_function",
      prefix: "CORP_FUNCTION",
      priority: 50,
      pattern: /my-func/g,
      triggers: [{ chars: "-", when: "(?<=my-)(?=func)", back: [2] }],
    };
    const entries = [...catalogue, extra];
    const shapes = entryShapes(entries).filter((shape) => shape.entry!.type === "corp_function");
    expect(sampleMatch(extra, ENTRY_SAMPLES)).toBe("my-func");
    expect(shapes.map((shape) => shape.name)).toContain(`corp_function#${catalogue.length}: match repeated`);
    // And they run like the others: the planted values survive, the scan agrees with the reference.
    const extended = new Scanner(entries);
    for (const shape of shapes) {
      const { text, canaryStarts } = withCanaries(shape.make(MB));
      const found = extended.scan(text);
      if (shape.name.endsWith("match repeated")) expect(found.filter((m) => m.type === "corp_function").length).toBeGreaterThan(0);
      for (const start of canaryStarts) expect(found.some((m) => m.start === start)).toBe(true);
      expectSameAsReference(shape, entries);
    }
  }, TIMEOUT);

  for (const shape of derived) {
    test(
      shape.name,
      () => {
        expectCanaries(shape);
        expectSameAsReference(shape);
      },
      TIMEOUT,
    );
  }
});

describe("ARN_MODE=whole on ARN-derived shapes", () => {
  const whole = builtInCatalogue("whole");
  const wholeScanner = new Scanner(whole);
  for (const shape of entryShapes(whole).filter((s) => s.entry!.type === "arn")) {
    test(
      shape.name,
      () => {
        const { text } = withCanaries(shape.make(MB));
        expectWellFormed(wholeScanner.scan(text), text.length);
        expectSameAsReference(shape, whole);
      },
      TIMEOUT,
    );
  }
});
