/**
 * The Bedrock path next to the Anthropic path: the same requests through a proxy whose
 * upstream is the Bedrock stand-in (tests/fixtures/bedrock-upstream.ts: SigV4 verified, event
 * streams re-framed) and through the proxy on the Anthropic fixture, taking turns request by
 * request. The stand-in runs in its own process and checks every signature, so its own cost
 * is in the Bedrock column too; the difference bounds what the Bedrock seam adds (signing,
 * body rewriting, event-stream decoding).
 */
import { join } from "node:path";
import { STAND_IN_CREDENTIALS, STAND_IN_REGION } from "../../tests/fixtures/bedrock-upstream.ts";
import { startProxy, tempDir } from "../../tests/helpers/proxy-process.ts";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(url: string, key: string, body: string, firstByteOnly: boolean): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/messages`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json" }, body });
  if (response.status !== 200) throw new Error(`HTTP ${response.status} from ${url}: ${await response.text()}`);
  const reader = response.body!.getReader();
  await reader.read();
  const first = performance.now() - started;
  while (!(await reader.read()).done);
  return firstByteOnly ? first : performance.now() - started;
}

/** The stand-in in a process of its own, as the Anthropic fixture upstream runs. */
async function startStandInProcess(): Promise<{ url: string; stop: () => void }> {
  const proc = Bun.spawn(["bun", join(import.meta.dir, "bedrock-upstream-server.ts")], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) text += new TextDecoder().decode((await reader.read()).value);
  return { url: (JSON.parse(text) as { url: string }).url, stop: () => proc.kill() };
}

export async function benchBedrockPath(options: { anthropicProxy: string; keys: readonly string[]; tenantKeys: string; chat: string; seenBefore: string; stream: string }): Promise<string> {
  const standIn = await startStandInProcess();
  const proxy = await startProxy({
    env: {
      DATA_DIR: tempDir("cmp-bench-bedrock-"),
      PROXY_API_KEYS: options.tenantKeys,
      UPSTREAM_PROVIDER: "bedrock",
      AWS_REGION: STAND_IN_REGION,
      BEDROCK_BASE_URL: standIn.url,
      AWS_ACCESS_KEY_ID: STAND_IN_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: STAND_IN_CREDENTIALS.secretAccessKey,
      LOG_LEVEL: "info",
    },
  });
  const rows: string[] = [];
  try {
    const cases: [label: string, body: string, n: number, firstByte: boolean][] = [
      ["2 KB chat (JSON)", options.chat, 60, false],
      // Both proxies have seen this body (the warm-up): the steady state of a conversation.
      ["200 KB Claude Code request, seen before", options.seenBefore, 40, false],
      ["2,000-delta stream: first byte", options.stream, 60, true],
      ["2,000-delta stream: whole", options.stream, 60, false],
    ];
    // Warm-up: JIT, connections, credentials.
    for (const [, body] of cases) {
      await timed(proxy.url, options.keys[0]!, body, false);
      await timed(options.anthropicProxy, options.keys[0]!, body, false);
    }
    for (const [label, body, n, firstByte] of cases) {
      const anthropic: number[] = [];
      const bedrock: number[] = [];
      for (let i = 0; i < n; i++) {
        anthropic.push(await timed(options.anthropicProxy, options.keys[0]!, body, firstByte));
        bedrock.push(await timed(proxy.url, options.keys[0]!, body, firstByte));
      }
      const p = (values: number[], q: number) => percentile(values, q).toFixed(2);
      rows.push(`| ${label} | ${p(anthropic, 50)} / ${p(anthropic, 99)} | ${p(bedrock, 50)} / ${p(bedrock, 99)} | ${(percentile(bedrock, 50) - percentile(anthropic, 50)).toFixed(2)} |`);
    }
  } finally {
    await proxy.stop();
    standIn.stop();
  }
  return [
    "## The Bedrock path next to the Anthropic path (ms, p50 / p99; sequential requests)",
    "",
    "The same requests through a proxy on the Anthropic fixture and through a proxy with `UPSTREAM_PROVIDER=bedrock` on the Bedrock stand-in, taking turns. Both upstreams run in their own process and answer at once with the same precomputed answers (the stand-in's framed for Bedrock); the stand-in verifies every SigV4 signature, so that cost is in the Bedrock column too.",
    "",
    "| workload | Anthropic path | Bedrock path | Bedrock − Anthropic (p50) |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
