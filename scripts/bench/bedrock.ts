/**
 * The Bedrock path next to the Anthropic path: the same requests through a proxy whose
 * upstream is the Bedrock stand-in (tests/fixtures/bedrock-upstream.ts: SigV4 verified, event
 * streams re-framed) and through the proxy on the Anthropic fixture, taking turns request by
 * request. The stand-in runs in the load generator's process and checks every signature, so
 * its own cost is in the Bedrock column too; the difference bounds what the Bedrock seam adds
 * (signing, body rewriting, event-stream decoding).
 */
import { STAND_IN_CREDENTIALS, STAND_IN_REGION, startBedrockStandIn } from "../../tests/fixtures/bedrock-upstream.ts";
import { respond } from "../../tests/fixtures/scripted-upstream.ts";
import { encodeSse, messageEvents } from "../../tests/fixtures/sse-builder.ts";
import { startProxy, tempDir } from "../../tests/helpers/proxy-process.ts";

const words = Array.from({ length: 2000 }, (_, i) => (i % 25 === 0 ? "AWS_EC2_001 " : "token "));
const STREAMED = { content: [{ type: "text" as const, text: words.join("") }] };
const ANSWER = { content: [{ type: "text" as const, text: "The instance AWS_EC2_001 is healthy." }] };

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

export async function benchBedrockPath(options: { anthropicProxy: string; keys: readonly string[]; tenantKeys: string; chat: string; seenBefore: string; stream: string }): Promise<string> {
  const standIn = await startBedrockStandIn();
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
  // The stand-in answers every call as the Anthropic fixture does: the same JSON, the same 2,000-delta
  // stream, built once (the fixture upstream builds its stream once too).
  const streamText = encodeSse(messageEvents(STREAMED, { textChunk: 6 }));
  const answerNext = (streamed: boolean) =>
    standIn.script(streamed ? () => new Response(streamText, { headers: { "content-type": "text/event-stream" } }) : respond.message(ANSWER));
  const rows: string[] = [];
  try {
    const cases: [label: string, body: string, n: number, firstByte: boolean, streamed: boolean][] = [
      ["2 KB chat (JSON)", options.chat, 60, false, false],
      // Both proxies have seen this body (the warm-up): the steady state of a conversation.
      ["200 KB Claude Code request, seen before", options.seenBefore, 40, false, false],
      ["2,000-delta stream: first byte", options.stream, 60, true, true],
      ["2,000-delta stream: whole", options.stream, 60, false, true],
    ];
    // Warm-up: JIT, connections, credentials.
    for (const [, body, , , streamed] of cases) {
      answerNext(streamed);
      await timed(proxy.url, options.keys[0]!, body, false);
      await timed(options.anthropicProxy, options.keys[0]!, body, false);
    }
    for (const [label, body, n, firstByte, streamed] of cases) {
      const anthropic: number[] = [];
      const bedrock: number[] = [];
      for (let i = 0; i < n; i++) {
        const key = options.keys[0]!;
        anthropic.push(await timed(options.anthropicProxy, key, body, firstByte));
        answerNext(streamed);
        bedrock.push(await timed(proxy.url, key, body, firstByte));
      }
      const p = (values: number[], q: number) => percentile(values, q).toFixed(2);
      rows.push(`| ${label} | ${p(anthropic, 50)} / ${p(anthropic, 99)} | ${p(bedrock, 50)} / ${p(bedrock, 99)} | ${(percentile(bedrock, 50) - percentile(anthropic, 50)).toFixed(2)} |`);
    }
    if (standIn.refused.length > 0) throw new Error(`the stand-in refused ${standIn.refused.length} signatures`);
  } finally {
    await proxy.stop();
    await standIn.stop();
  }
  return [
    "## The Bedrock path next to the Anthropic path (ms, p50 / p99; sequential requests)",
    "",
    "The same requests through a proxy on the Anthropic fixture and through a proxy with `UPSTREAM_PROVIDER=bedrock` on the Bedrock stand-in, taking turns. The stand-in verifies every SigV4 signature in the load generator's process, so its cost is in the Bedrock column too.",
    "",
    "| workload | Anthropic path | Bedrock path | Bedrock − Anthropic (p50) |",
    "|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}
