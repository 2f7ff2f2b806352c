/**
 * The Bash tool round trip that Claude Code's cloud modes (Bedrock, Vertex) must complete
 * through the proxy, as the Anthropic-path e2e test does: the model is shown surrogates, the
 * command runs with the real ID, the answer comes back restored, and nothing the proxy sent or
 * logged holds an original, the proxy key, or a credential of the proxy's own.
 */
import { expect } from "bun:test";
import { join } from "node:path";
import { respond, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { runClaude } from "./claude-cli.ts";
import { maskedViaProxy, type TestProxy } from "./test-proxy.ts";

const INSTANCE = "i-0a1b2c3d4e5f67890";
const ACCOUNT = "123456789012";

export async function expectCloudModeRoundTrip(options: {
  proxy: TestProxy;
  upstream: ScriptedUpstream;
  /** The CLI's mode settings (CLAUDE_CODE_USE_BEDROCK=1 …). */
  env: Record<string, string>;
  /** The route template the proxy's request log must name. */
  route: string;
  /** Credentials of the proxy's own that must appear nowhere it logs. */
  ownSecrets?: readonly string[];
}): Promise<void> {
  const { proxy, upstream } = options;
  const ec2 = await maskedViaProxy(proxy, INSTANCE);
  upstream.script(
    respond.stream(
      { content: [{ type: "tool_use", id: "toolu_cloud", name: "Bash", input: { command: `echo ${ec2} | tee out.txt`, description: "Save the ID" } }], stop_reason: "tool_use" },
      { jsonChunk: 4 },
    ),
    respond.stream({ content: [{ type: "text", text: `Saved ${ec2} for account AWS_ACCOUNT_001.` }] }),
  );
  const run = await runClaude({
    prompt: `Save ${INSTANCE} of account ${ACCOUNT} to out.txt`,
    baseUrl: proxy.url,
    auth: { ANTHROPIC_API_KEY: "unused-in-cloud-mode" },
    args: ["--allowedTools", "Bash"],
    env: options.env,
  });
  expect(run.exitCode).toBe(0);
  expect(await Bun.file(join(run.cwd, "out.txt")).text()).toBe(`${INSTANCE}\n`);
  expect(run.result.result).toBe(`Saved ${INSTANCE} for account ${ACCOUNT}.`);

  const calls = upstream.requests.filter((request) => request.path.startsWith("/v1/messages") && !request.path.startsWith("/v1/messages/count_tokens"));
  expect(calls.length).toBe(2);
  expect(calls[0]!.json.stream).toBe(true);
  const toolResult = calls[1]!.json.messages.at(-1).content.find((block: any) => block.type === "tool_result");
  expect(toolResult.content).toBe(ec2);
  expect(JSON.stringify(calls[0]!.json.messages)).toContain(`Save ${ec2} of account AWS_ACCOUNT_001 to out.txt`);

  const upstreamSaw = upstream.requests.map((request) => request.bodyText).join("\n");
  for (const original of [INSTANCE, ACCOUNT]) expect(upstreamSaw).not.toContain(original);
  // The proxy key never leaves as a credential of the upstream call.
  expect(upstreamSaw).not.toContain(proxy.key);
  for (const call of calls) expect(JSON.stringify(call.headers)).not.toContain(proxy.key);
  // Nor does anything the proxy logs hold an original, a key, or a credential of its own
  // (a Google access token starts `ya29.`).
  const logs = proxy.logs.join("\n");
  for (const secret of [INSTANCE, ACCOUNT, proxy.key, "ya29.", ...(options.ownSecrets ?? [])]) expect(logs).not.toContain(secret);
  expect(logs).toContain(`"route":"${options.route}"`);
}
