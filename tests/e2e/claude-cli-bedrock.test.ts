/**
 * The real `claude` CLI in Bedrock mode (CLAUDE_CODE_USE_BEDROCK=1) pointed at the proxy's
 * Bedrock routes, as Claude Code's LLM-gateway setup describes it: the proxy key as
 * AWS_BEARER_TOKEN_BEDROCK, CLAUDE_CODE_SKIP_BEDROCK_AUTH=1. Its InvokeModel calls are masked,
 * sent to the configured upstream (the scripted Anthropic API, or with
 * TEST_UPSTREAM_PROVIDER=bedrock the Bedrock stand-in), and answered in Bedrock's event-stream
 * format; the tools run with the originals on disk.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { STAND_IN_CREDENTIALS } from "../fixtures/bedrock-upstream.ts";
import type { ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { runClaude } from "../helpers/claude-cli.ts";
import { expectCloudModeRoundTrip } from "../helpers/cloud-mode-round-trip.ts";
import { maskedViaProxy, startTestProxy, type TestProxy } from "../helpers/test-proxy.ts";
import { ON_BEDROCK, startUpstreamUnderTest } from "../helpers/upstream-under-test.ts";

const INSTANCE = "i-0a1b2c3d4e5f67890";

let upstream: ScriptedUpstream;
let proxy: TestProxy;
let proxyEnv: Record<string, string>;
beforeAll(async () => {
  const underTest = await startUpstreamUnderTest();
  upstream = underTest.upstream;
  proxyEnv = underTest.proxyEnv;
  proxy = await startTestProxy({ upstreamUrl: upstream.url, env: proxyEnv });
});
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
beforeEach(() => upstream.reset());

const upstreamSaw = () => upstream.requests.map((request) => request.bodyText).join("\n");
const messageCalls = () => upstream.requests.filter((request) => request.path.startsWith("/v1/messages") && !request.path.startsWith("/v1/messages/count_tokens"));

/** Claude Code's Bedrock mode through the proxy, with `key` as its Bedrock bearer token. */
const bedrockMode = (key: string) => ({
  CLAUDE_CODE_USE_BEDROCK: "1",
  ANTHROPIC_BEDROCK_BASE_URL: `${proxy.url}/bedrock`,
  CLAUDE_CODE_SKIP_BEDROCK_AUTH: "1",
  AWS_BEARER_TOKEN_BEDROCK: key,
  AWS_REGION: "us-east-1",
});

describe("claude -p in Bedrock mode through the proxy", () => {
  test("Bash tool round trip: masked upstream, the command runs with the real ID, the answer is restored", async () => {
    await expectCloudModeRoundTrip({ proxy, upstream, env: bedrockMode(proxy.key), route: "/bedrock/model/:id/invoke-with-response-stream", ownSecrets: [STAND_IN_CREDENTIALS.secretAccessKey] });
  }, 90_000);

  test("a wrong bearer token fails at once with the proxy's message, nothing reaches the upstream", async () => {
    const run = await runClaude({ prompt: "hi", baseUrl: proxy.url, auth: { ANTHROPIC_API_KEY: "unused" }, env: bedrockMode("not-a-proxy-key"), retries: 3 });
    expect(run.exitCode).toBe(1);
    expect(run.result.is_error).toBe(true);
    expect(run.result.result).toContain("Invalid proxy key");
    expect(messageCalls().length).toBe(0);
  }, 90_000);

  test.skipIf(!ON_BEDROCK)("Bedrock refuses the proxy's AWS identity: claude fails at once with the operator's fix", async () => {
    // The stand-in refuses this access key: the proxy's credentials, not the user's key.
    const saved = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = "AKIAREVOKEDEXAMPLE01";
    const revoked = await startTestProxy({ upstreamUrl: upstream.url, env: { ...proxyEnv, AWS_ACCESS_KEY_ID: "AKIAREVOKEDEXAMPLE01" } });
    try {
      const run = await runClaude({ prompt: "hi", baseUrl: revoked.url, auth: { ANTHROPIC_API_KEY: "unused" }, env: { ...bedrockMode(revoked.key), ANTHROPIC_BEDROCK_BASE_URL: `${revoked.url}/bedrock` }, retries: 3 });
      expect(run.exitCode).toBe(1);
      expect(run.result.result).toContain("The proxy's AWS credentials or Bedrock API key were refused; the operator must fix them.");
      expect((upstream as unknown as { refused: string[] }).refused).toEqual(["unknown access key"]);
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved;
      await revoked.stop();
    }
  }, 90_000);

  test("count-tokens (Claude Code's /context): the counted body is masked before it leaves, the count comes back as inputTokens", async () => {
    const inner = { anthropic_version: "bedrock-2023-05-31", max_tokens: 1, messages: [{ role: "user", content: `how big is ${INSTANCE}?` }] };
    const response = await fetch(`${proxy.url}/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/count-tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${proxy.key}`, "content-type": "application/json" },
      body: JSON.stringify({ input: { invokeModel: { body: Buffer.from(JSON.stringify(inner)).toString("base64") } } }),
    });
    expect(response.status).toBe(200);
    const counted = upstream.requests.find((request) => request.path === "/v1/messages/count_tokens")!;
    expect(counted.json.messages).toEqual([{ role: "user", content: `how big is ${await maskedViaProxy(proxy, INSTANCE)}?` }]);
    expect(await response.json()).toEqual({ inputTokens: Math.ceil(counted.bodyText.length / 4) });
    expect(upstreamSaw()).not.toContain(INSTANCE);
    // Without the proxy key (Claude Code's AWS-SDK calls send none with CLAUDE_CODE_SKIP_BEDROCK_AUTH) nothing is counted.
    expect((await fetch(`${proxy.url}/bedrock/model/x/count-tokens`, { method: "POST", body: "{}" })).status).toBe(401);
  });

  test("hostile bodies on the Bedrock routes: Anthropic-shaped 400s, nothing forwarded", async () => {
    const post = (body: string) =>
      fetch(`${proxy.url}/bedrock/model/us.anthropic.claude-opus-5-5/invoke`, { method: "POST", headers: { authorization: `Bearer ${proxy.key}`, "content-type": "application/json" }, body });
    for (const [body, message] of [
      [`{"messages": [{"role": "user", "content": "${INSTANCE}"`, "Invalid request: the body is not JSON."],
      ["[1, 2]", "Invalid request: the body must be a JSON object."],
      ['{"anthropic_beta": "x", "messages": []}', "Invalid request: anthropic_beta must be an array of strings."],
      ['{"messages": "not an array"}', undefined],
    ] as const) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.headers.get("x-should-retry")).toBe("false");
      const error = ((await response.json()) as { error: { type: string; message: string } }).error;
      expect(error.type).toBe("invalid_request_error");
      if (message) expect(error.message).toBe(message);
      expect(error.message).not.toContain(INSTANCE);
    }
    expect(messageCalls().length).toBe(0);
  });

  test("the inference-profile listing names the models the proxy maps, and needs no key", async () => {
    const response = await fetch(`${proxy.url}/bedrock/inference-profiles?type=SYSTEM_DEFINED`);
    expect(response.status).toBe(200);
    const ids = ((await response.json()) as { inferenceProfileSummaries: { inferenceProfileId: string }[] }).inferenceProfileSummaries.map((p) => p.inferenceProfileId);
    expect(ids).toContain("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
  });
});
