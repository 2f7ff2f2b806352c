/**
 * The tenant memory's cost per request: finding a tenant's known originals in a 200 KB Claude
 * Code request (the matcher's pass, and the scan with its matches merged), with 0, 10k and
 * 100k originals remembered, and what the originals cost in heap.
 */
import { heapStats } from "bun:jsc";
import { requestSlots } from "../../src/anthropic/content-walker.ts";
import { builtInCatalogue } from "../../src/masking/catalogue/index.ts";
import { OriginalsMatcher } from "../../src/masking/originals-matcher.ts";
import { Scanner } from "../../src/masking/scanner.ts";
import { claudeCodeRequest } from "./workloads.ts";

/** Originals of the shapes a tenant accumulates: instance IDs, accounts, role names, buckets, secrets. */
function original(i: number): { text: string; type: string; prefix: string } {
  const hex = (i * 2654435761).toString(16).padStart(8, "0").slice(-8);
  switch (i % 5) {
    case 0:
      return { text: `i-0${hex}${hex.slice(0, 8)}a`, type: "ec2_instance", prefix: "AWS_EC2" };
    case 1:
      return { text: String(100_000_000_000 + i * 7919), type: "aws_account_id", prefix: "AWS_ACCOUNT" };
    case 2:
      return { text: `svc-role-${hex}`, type: "arn_iam_role", prefix: "AWS_IAM_ROLE" };
    case 3:
      return { text: `acme-${hex}-uploads`, type: "s3_bucket", prefix: "AWS_S3_BUCKET" };
    default:
      return { text: `Pw!${hex}${i}`, type: "assigned_secret", prefix: "SECRET_VALUE" };
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const heapMb = () => {
  Bun.gc(true);
  return heapStats().heapSize / 2 ** 20;
};

export function benchMemory(): string {
  const request = claudeCodeRequest({ turns: 40, bytesPerResult: 4_600, secrets: 50 });
  const texts = requestSlots(request as Record<string, unknown>).map((slot) => slot.get());
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const scanner = new Scanner(builtInCatalogue("parts"));
  const rows: string[] = [];
  for (const count of [0, 10_000, 100_000]) {
    const before = heapMb();
    const matcher = new OriginalsMatcher();
    const buildStarted = performance.now();
    for (let i = 0; i < count; i++) {
      const { text, type, prefix } = original(i);
      matcher.add(text, type, prefix);
    }
    const buildMs = performance.now() - buildStarted;
    const heap = heapMb() - before;
    // A few of the request's own values are known too, as in a conversation that goes on.
    for (const text of texts) for (const id of text.match(/\bi-0[0-9a-f]{16}\b/g) ?? []) matcher.add(id, "ec2_instance", "AWS_EC2");
    const find: number[] = [];
    const scan: number[] = [];
    let found = 0;
    for (let round = 0; round < 5; round++) texts.forEach((text) => scanner.scan(text, matcher.find(text))); // warm-up
    for (let round = 0; round < 15; round++) {
      let started = performance.now();
      const known = texts.map((text) => matcher.find(text));
      find.push(performance.now() - started);
      found = known.reduce((sum, list) => sum + list.length, 0);
      started = performance.now();
      texts.forEach((text, t) => scanner.scan(text, known[t]));
      scan.push(performance.now() - started);
    }
    rows.push(
      `| ${count.toLocaleString("en")} | ${count === 0 ? "—" : `${((heap * 2 ** 20) / count).toFixed(0)} B (${heap.toFixed(1)} MB)`} | ${count === 0 ? "—" : `${((buildMs * 1000) / count).toFixed(2)} µs`} | ${found} | ${median(find).toFixed(2)} (${(bytes / 1e6 / (median(find) / 1000)).toFixed(0)} MB/s) | ${median(scan).toFixed(2)} |`,
    );
  }
  return [
    `Request: the 200 KB Claude Code-shaped first send (${texts.length} texts, ${(bytes / 1e3).toFixed(0)} KB of text). Median of 15 runs, one core.`,
    "",
    "| originals remembered | heap per original (total) | add, per original | found in the request | memory pass, ms (MB/s) | scan with its matches, ms |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

if (import.meta.main) console.log(benchMemory());
