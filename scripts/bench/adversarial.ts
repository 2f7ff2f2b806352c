/**
 * Scanner throughput on hostile inputs (tests/masking/adversarial-shapes.ts) at 1 MB, next to
 * ordinary text (the generated mixed corpus of scripts/bench/scanner.ts) at 1 MB: MB/s per
 * shape, on one core. Target: every shape at least a quarter of ordinary text's MB/s, so one
 * crafted file costs no more than four ordinary ones. Hand-written shapes get a row each;
 * shapes derived from catalogue entries get one row per entry (its slowest shape).
 *
 * `bun scripts/bench/adversarial.ts` prints the table alone.
 */
import { Scanner } from "../../src/masking/scanner.ts";
import { builtInCatalogue } from "../../src/masking/catalogue/index.ts";
import { FIXED_SHAPES, MB, entryShapes, type Shape } from "../../tests/masking/adversarial-shapes.ts";
import { mixedCorpus } from "../../tests/masking/corpus.ts";

/** Median ms of `runs` scans of `text`, after one warm-up scan. */
function medianMs(scanner: Scanner, text: string, runs: number): { ms: number; matches: number } {
  let matches = scanner.scan(text).length;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = Bun.nanoseconds();
    matches = scanner.scan(text).length;
    times.push((Bun.nanoseconds() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)]!, matches };
}

export interface AdversarialResult {
  markdown: string;
  ordinaryMbPerSecond: number;
  /** The slowest shape's MB/s and name. */
  worst: { name: string; mbPerSecond: number };
  /** Every shape ≥ 1/4 of ordinary text's MB/s. */
  holds: boolean;
  failing: number;
  shapes: number;
}

export function benchAdversarial(runs = 3): AdversarialResult {
  const scanner = new Scanner(builtInCatalogue("parts"));
  const ordinaryText = mixedCorpus(MB, 11);
  const ordinary = medianMs(scanner, ordinaryText, Math.max(runs, 9));
  const ordinaryMbPerSecond = MB / 1e6 / (ordinary.ms / 1000);
  const floor = ordinaryMbPerSecond / 4;

  const measured = (shape: Shape) => {
    const text = shape.make(MB);
    const { ms, matches } = medianMs(scanner, text, runs);
    return { name: shape.name, ms, matches, mbPerSecond: text.length / 1e6 / (ms / 1000) };
  };
  const fixed = FIXED_SHAPES.map(measured);
  // One row per entry: its slowest derived shape.
  const byEntry = new Map<number, ReturnType<typeof measured>>();
  for (const shape of entryShapes(scanner.entries)) {
    const row = measured(shape);
    const previous = byEntry.get(shape.entry!.index);
    if (!previous || row.mbPerSecond < previous.mbPerSecond) byEntry.set(shape.entry!.index, row);
  }
  const derivedCount = entryShapes(scanner.entries).length;
  const rows = [...fixed, ...byEntry.values()];
  const worstRow = rows.reduce((a, b) => (b.mbPerSecond < a.mbPerSecond ? b : a));
  const failing = rows.filter((row) => row.mbPerSecond < floor).length;
  const line = (row: (typeof rows)[number]) =>
    `| ${row.name.replace(/\|/g, "\\|")} | ${row.matches} | ${row.ms.toFixed(1)} | ${row.mbPerSecond.toFixed(0)} | ${((row.mbPerSecond / ordinaryMbPerSecond) * 100).toFixed(0)} % | ${row.mbPerSecond >= floor ? "yes" : "**no**"} |`;
  const markdown = [
    `Ordinary text (generated mixed corpus, 1 MB): **${ordinaryMbPerSecond.toFixed(0)} MB/s** (${ordinary.ms.toFixed(1)} ms, ${ordinary.matches} matches). Target: every hostile shape at 1 MB ≥ 1/4 of that (${floor.toFixed(0)} MB/s).`,
    `${FIXED_SHAPES.length} hand-written shapes, and ${derivedCount} shapes derived from the ${byEntry.size} catalogue entries (one row per entry: its slowest). Median of ${runs} scans each.`,
    "",
    "| shape (1 MB) | matches | ms per scan | MB/s | of ordinary | ≥ 1/4 |",
    "|---|---|---|---|---|---|",
    `| *ordinary text* | ${ordinary.matches} | ${ordinary.ms.toFixed(1)} | ${ordinaryMbPerSecond.toFixed(0)} | 100 % | |`,
    ...fixed.map(line),
    ...[...byEntry.values()].map(line),
  ].join("\n");
  return {
    markdown,
    ordinaryMbPerSecond,
    worst: { name: worstRow.name, mbPerSecond: worstRow.mbPerSecond },
    holds: failing === 0,
    failing,
    shapes: rows.length,
  };
}

if (import.meta.main) {
  const result = benchAdversarial();
  console.log(result.markdown);
  console.log(
    `\nworst: ${result.worst.name} at ${result.worst.mbPerSecond.toFixed(0)} MB/s; ${result.failing} of ${result.shapes} rows below 1/4 of ordinary (${(result.ordinaryMbPerSecond / 4).toFixed(0)} MB/s): target ${result.holds ? "holds" : "does not hold"}`,
  );
}
