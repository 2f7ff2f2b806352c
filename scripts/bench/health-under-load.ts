/**
 * How long /health waits while the proxy masks one very large request. Masking is synchronous
 * work on the event loop, so every other request waits for the slices of it: this measures how
 * long. One Claude Code-shaped body of ~32 MB (just under the default limit, 3,000 secrets)
 * is sent while /health is asked in a loop, one request at a time.
 */
import { claudeCodeRequest } from "./workloads.ts";

export interface HealthUnderLoad {
  bodyMb: number;
  /** The large request's own time, ms. */
  requestMs: number;
  idleP50: number;
  /** /health latencies while the large request was in flight, ms. */
  p50: number;
  p99: number;
  max: number;
  samples: number;
  markdown: string;
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))]!;

async function healthOnce(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/health`);
  await response.arrayBuffer();
  return performance.now() - started;
}

export async function benchHealthUnderLoad(url: string, key: string): Promise<HealthUnderLoad> {
  const body = JSON.stringify(claudeCodeRequest({ turns: 600, bytesPerResult: 50_000, secrets: 3_000 }));
  const idle: number[] = [];
  for (let i = 0; i < 50; i++) idle.push(await healthOnce(url));

  const during: number[] = [];
  let done = false;
  const started = performance.now();
  const large = fetch(`${url}/v1/messages`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body })
    .then((response) => response.arrayBuffer().then(() => response.status))
    .finally(() => (done = true));
  while (!done) during.push(await healthOnce(url));
  const status = await large;
  const requestMs = performance.now() - started;
  if (status !== 200) throw new Error(`the large request got HTTP ${status}`);

  const result = {
    bodyMb: Buffer.byteLength(body) / 2 ** 20,
    requestMs,
    idleP50: percentile(idle, 50),
    p50: percentile(during, 50),
    p99: percentile(during, 99),
    max: Math.max(...during),
    samples: during.length,
  };
  const f = (n: number) => n.toFixed(1);
  const markdown = [
    `One ${f(result.bodyMb)} MB request with 3,000 secrets took ${f(requestMs)} ms; /health, asked one request at a time meanwhile (${result.samples} answers):`,
    "",
    "| /health latency (ms) | idle p50 | during p50 | during p99 | during max |",
    "|---|---|---|---|---|",
    `| | ${f(result.idleP50)} | ${f(result.p50)} | ${f(result.p99)} | ${f(result.max)} |`,
  ].join("\n");
  return { ...result, markdown };
}

if (import.meta.main) {
  const [url, key] = process.argv.slice(2);
  if (!url || !key) throw new Error("usage: bun scripts/bench/health-under-load.ts PROXY_URL KEY");
  console.log((await benchHealthUnderLoad(url, key)).markdown);
}
