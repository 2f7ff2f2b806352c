/**
 * Scanner throughput on a generated mixed corpus (JSON tool output, code, logs, prose, sparse
 * secrets) at 10 KB, 200 KB and 2 MB: MB/s and ms per call, on one core.
 */
import { Scanner } from "../../src/masking/scanner.ts";
import { builtInCatalogue } from "../../src/masking/catalogue/index.ts";
import { mixedCorpus } from "../../tests/masking/corpus.ts";

export function benchScanner(): { markdown: string; mbPerSecond2MB: number } {
  const scanner = new Scanner(builtInCatalogue("parts"));
  const rows: string[] = [];
  let mbPerSecond2MB = 0;
  for (const [label, size] of [["10 KB", 10_000], ["200 KB", 200_000], ["2 MB", 2_000_000]] as const) {
    const text = mixedCorpus(size, 11);
    for (let i = 0; i < 3; i++) scanner.scan(text); // warm up the JIT and regex caches
    const iterations = Math.max(5, Math.round(20_000_000 / size));
    const times: number[] = [];
    let matches = 0;
    for (let i = 0; i < iterations; i++) {
      const start = Bun.nanoseconds();
      matches = scanner.scan(text).length;
      times.push((Bun.nanoseconds() - start) / 1e6);
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const mbps = size / 1e6 / (median / 1000);
    if (size === 2_000_000) mbPerSecond2MB = mbps;
    rows.push(`| ${label} | ${matches} | ${median.toFixed(3)} | ${mbps.toFixed(0)} |`);
  }
  const markdown = ["| input | matches | ms per call (median) | MB/s |", "|---|---|---|---|", ...rows].join("\n");
  return { markdown, mbPerSecond2MB };
}

if (import.meta.main) console.log(benchScanner().markdown);
