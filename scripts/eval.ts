/**
 * `bun run eval`: scores `claude-masking-proxy mask --jsonl` on the labelled detection corpus (a development
 * set: tests/fixtures/eval, or EVAL_DIR) with its own scorer, prints recall by type and by kind,
 * the leaks, look-alikes left intact and MB/s, and exits 1 when a figure falls below its floor.
 * The floors are the best figures measured so far: a change that lets one more value through
 * fails CI. Needs python3 (the scorer uses its standard library only).
 *
 * Then the same documents go through /v1/messages (eval-messages.ts), and what reached the
 * scripted upstream is scored the same way.
 *
 * Look-alikes are reported twice: all of them, and without the kinds whose masking is the
 * product's stated policy (README, "What is masked"): documentation IPs and AWS's example
 * values are masked like any other, and typed surrogates come back as typed but are masked
 * as literals on the way out.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scoreThroughMessages } from "./eval-messages.ts";

const ROOT = join(import.meta.dir, "..");
const EVAL_DIR = process.env.EVAL_DIR ?? join(ROOT, "tests/fixtures/eval");
const POLICY_KINDS = ["surrogate_lookalike", "documentation_ip", "aws_doc_placeholder"];

/**
 * Best measured on the development set; raise them when you do better, never lower them.
 * `upstreamLeaks`: values that reached the upstream when every document went through
 * /v1/messages as a tool result (the request path adds the tenant memory and the guard).
 */
export const FLOORS = { recall: 1.0, leaks: 0, negativesIntactUnderPolicy: 164 / 166, upstreamLeaks: 0 };

interface Report {
  recall: number;
  leaks: number;
  negatives_intact: number;
  mbps: number;
  by_type: Record<string, { n: number; caught: number }>;
  by_kind: Record<string, { n: number; caught: number }>;
  negatives: Record<string, { n: number; intact: number }>;
  leaked: { doc: string; kind: string; type: string; value: string }[];
  altered: { doc: string; kind: string; original: string; replacement: string }[];
}

export function score(): Report {
  const work = mkdtempSync(join(tmpdir(), "cmp-eval-"));
  try {
    const reportPath = join(work, "report.json");
    const run = Bun.spawnSync(["python3", join(EVAL_DIR, "score.py"), "--batch", `${process.execPath} ${join(ROOT, "src/main.ts")} mask --jsonl --new-store`, "--report", reportPath], {
      cwd: ROOT,
      // A fresh store and secret of its own, whatever the caller's environment holds.
      env: { ...process.env, DATA_DIR: join(work, "data"), STORE_URL: "", MASKING_SECRET: "", PATTERNS_FILE: "" },
      stdout: "pipe",
      stderr: "pipe",
    });
    if (run.exitCode !== 0) throw new Error(`score.py exited ${run.exitCode}: ${run.stderr.toString().slice(-2000)}`);
    return JSON.parse(readFileSync(reportPath, "utf8")) as Report;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

const pct = (part: number, whole: number) => (whole === 0 ? "-" : `${((100 * part) / whole).toFixed(1)} %`);

function table(title: string, rows: Record<string, { n: number; caught: number }>): string {
  const lines = Object.entries(rows)
    .sort(([a, x], [b, y]) => x.caught / x.n - y.caught / y.n || a.localeCompare(b))
    .map(([name, { n, caught }]) => `  ${name.padEnd(28)} ${String(caught).padStart(5)} / ${String(n).padEnd(5)} ${pct(caught, n)}`);
  return `${title}\n${lines.join("\n")}`;
}

/** The figures BENCHMARKS.md reports (scripts/bench.ts). */
export async function detectionFigures() {
  const report = score();
  const policy = underPolicy(report);
  const messages = await scoreThroughMessages(EVAL_DIR);
  return { recall: report.recall, leaks: report.leaks, negativesUnderPolicy: policy.intact / policy.n, negativesAll: report.negatives_intact, mbps: report.mbps, upstreamLeaks: messages.leaks, documents: messages.documents };
}

export function underPolicy(report: Report): { intact: number; n: number } {
  let intact = 0;
  let n = 0;
  for (const [kind, counts] of Object.entries(report.negatives)) {
    if (POLICY_KINDS.includes(kind)) continue;
    intact += counts.intact;
    n += counts.n;
  }
  return { intact, n };
}

if (import.meta.main) {
  const report = score();
  const policy = underPolicy(report);
  const negativesUnderPolicy = policy.intact / policy.n;
  console.log(table("Recall by type", report.by_type));
  console.log(table("Recall by kind", report.by_kind));
  console.log(`Leaks (${report.leaked.length}):`);
  for (const leak of report.leaked) console.log(`  ${leak.doc} ${leak.kind}/${leak.type} (${leak.value.length} characters)`);
  const policyAltered = report.altered.filter((a) => !POLICY_KINDS.includes(a.kind));
  console.log(`Look-alikes altered outside the policy kinds (${policyAltered.length}):`);
  for (const a of policyAltered) console.log(`  ${a.doc} ${a.kind}: ${JSON.stringify(a.original)} -> ${JSON.stringify(a.replacement)}`);
  console.log(
    `recall=${report.recall.toFixed(4)} leaks=${report.leaks} negatives_intact=${report.negatives_intact.toFixed(4)} ` +
      `negatives_intact_under_policy=${negativesUnderPolicy.toFixed(4)} (${policy.intact}/${policy.n}) mbps=${report.mbps.toFixed(2)}`,
  );
  const messages = await scoreThroughMessages(EVAL_DIR);
  console.log(`through /v1/messages (${messages.documents} documents as tool results): upstream_recall=${messages.recall.toFixed(4)} upstream_leaks=${messages.leaks}`);
  const failures = [
    messages.leaks > FLOORS.upstreamLeaks && `${messages.leaks} values reached the upstream > floor ${FLOORS.upstreamLeaks}`,
    report.recall < FLOORS.recall && `recall ${report.recall.toFixed(4)} < floor ${FLOORS.recall}`,
    report.leaks > FLOORS.leaks && `leaks ${report.leaks} > floor ${FLOORS.leaks}`,
    negativesUnderPolicy < FLOORS.negativesIntactUnderPolicy && `negatives intact (policy) ${negativesUnderPolicy.toFixed(4)} < floor ${FLOORS.negativesIntactUnderPolicy}`,
  ].filter(Boolean);
  if (failures.length) {
    console.error(`eval: below the floor: ${failures.join("; ")}`);
    process.exit(1);
  }
}
