/**
 * The real `claude` CLI in Vertex mode (CLAUDE_CODE_USE_VERTEX=1) pointed at the proxy's Vertex
 * routes: CLAUDE_CODE_SKIP_VERTEX_AUTH=1, the proxy key in ANTHROPIC_CUSTOM_HEADERS. Its
 * streamRawPredict calls are masked, sent to the configured upstream (the scripted Anthropic API,
 * or with TEST_UPSTREAM_PROVIDER=vertex|bedrock a cloud stand-in), and answered as Vertex
 * answers: in the Anthropic wire format. The tools run with the originals on disk.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { respond, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { runClaude } from "../helpers/claude-cli.ts";
import { expectCloudModeRoundTrip } from "../helpers/cloud-mode-round-trip.ts";
import { maskedViaProxy, startTestProxy, type TestProxy } from "../helpers/test-proxy.ts";
import { ON_CLOUD, startUpstreamUnderTest } from "../helpers/upstream-under-test.ts";

const INSTANCE = "i-0a1b2c3d4e5f67890";

let upstream: ScriptedUpstream;
let proxy: TestProxy;
beforeAll(async () => {
  const underTest = await startUpstreamUnderTest();
  upstream = underTest.upstream;
  proxy = await startTestProxy({ upstreamUrl: upstream.url, env: underTest.proxyEnv });
});
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
beforeEach(() => upstream.reset());

const upstreamSaw = () => upstream.requests.map((request) => request.bodyText).join("\n");
const messageCalls = () => upstream.requests.filter((request) => request.path.startsWith("/v1/messages") && !request.path.startsWith("/v1/messages/count_tokens"));
const VERTEX_MODELS = `${"/vertex/projects/user-project/locations/us-east5/publishers/anthropic/models"}`;

/** Claude Code's Vertex mode through the proxy, presenting `key` as its x-api-key. */
const vertexMode = (key: string) => ({
  CLAUDE_CODE_USE_VERTEX: "1",
  ANTHROPIC_VERTEX_BASE_URL: `${proxy.url}/vertex`,
  CLAUDE_CODE_SKIP_VERTEX_AUTH: "1",
  ANTHROPIC_VERTEX_PROJECT_ID: "user-project",
  CLOUD_ML_REGION: "us-east5",
  ANTHROPIC_CUSTOM_HEADERS: `x-api-key: ${key}`,
});

const post = (path: string, body: string, key = proxy.key, headers: Record<string, string> = {}) =>
  fetch(`${proxy.url}${path}`, { method: "POST", headers: { "x-api-key": key, "content-type": "application/json", "anthropic-version": "2023-06-01", ...headers }, body });

describe("claude -p in Vertex mode through the proxy", () => {
  test("Bash tool round trip: masked upstream, the command runs with the real ID, the answer is restored", async () => {
    await expectCloudModeRoundTrip({ proxy, upstream, env: vertexMode(proxy.key), route: "/vertex/projects/:project/locations/:region/publishers/anthropic/models/:call" });
  }, 90_000);

  test("a wrong key fails at once with the proxy's message, nothing reaches the upstream", async () => {
    const run = await runClaude({ prompt: "hi", baseUrl: proxy.url, auth: { ANTHROPIC_API_KEY: "unused" }, env: vertexMode("not-a-proxy-key"), retries: 3 });
    expect(run.exitCode).toBe(1);
    expect(run.result.is_error).toBe(true);
    expect(run.result.result).toContain("Invalid proxy key");
    expect(messageCalls().length).toBe(0);
  }, 90_000);

  test("rawPredict answers JSON, restored; the Vertex model name is the upstream's model", async () => {
    upstream.script(respond.json({ content: [{ type: "text", text: `It is ${await maskedViaProxy(proxy, INSTANCE)}.` }] }));
    const response = await post(`${VERTEX_MODELS}/claude-sonnet-4-5@20250929:rawPredict`, JSON.stringify({ anthropic_version: "vertex-2023-10-16", max_tokens: 10, messages: [{ role: "user", content: `which is ${INSTANCE}?` }] }), proxy.key, {
      "anthropic-beta": "context-management-2025-06-27",
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { content: { text: string }[] }).content[0]!.text).toBe(`It is ${INSTANCE}.`);
    const [call] = messageCalls();
    expect(call!.json.stream).toBeUndefined();
    expect(call!.headers["anthropic-beta"]).toBe("context-management-2025-06-27");
    // The Anthropic API knows the dated name with a dash (the cloud stand-ins record their own).
    if (!ON_CLOUD) expect(call!.json.model).toBe("claude-sonnet-4-5-20250929");
    expect(call!.json.anthropic_version).toBeUndefined();
    expect(call!.json.messages).toEqual([{ role: "user", content: `which is ${await maskedViaProxy(proxy, INSTANCE)}?` }]);
    expect(upstreamSaw()).not.toContain(INSTANCE);
  });

  test("count-tokens:rawPredict: the counted body is masked before it leaves, the count comes back as the upstream gave it", async () => {
    const response = await post(`${VERTEX_MODELS}/count-tokens:rawPredict`, JSON.stringify({ anthropic_version: "vertex-2023-10-16", model: "claude-sonnet-4-5@20250929", messages: [{ role: "user", content: `how big is ${INSTANCE}?` }] }));
    expect(response.status).toBe(200);
    const counted = upstream.requests.find((request) => request.path.startsWith("/v1/messages/count_tokens"))!;
    if (!ON_CLOUD) expect(counted.json.model).toBe("claude-sonnet-4-5-20250929");
    expect(counted.json.messages).toEqual([{ role: "user", content: `how big is ${await maskedViaProxy(proxy, INSTANCE)}?` }]);
    expect(await response.json()).toEqual({ input_tokens: Math.ceil(counted.bodyText.length / 4) });
    expect(upstreamSaw()).not.toContain(INSTANCE);
  });

  test("hostile paths and bodies: Anthropic-shaped errors, nothing forwarded", async () => {
    const cases: [string, string, number, string][] = [
      [`${VERTEX_MODELS}/claude-opus-5-5:streamRawPredict`, `{"messages": [{"role": "user", "content": "${INSTANCE}"`, 400, "Invalid request: the body is not JSON."],
      [`${VERTEX_MODELS}/claude-opus-5-5:rawPredict`, "[1, 2]", 400, "Invalid request: the body must be a JSON object."],
      [`${VERTEX_MODELS}/claude-opus-5-5:predict`, "{}", 404, "This proxy serves Vertex's rawPredict and streamRawPredict methods of Anthropic models only."],
      [`${VERTEX_MODELS}/claude-opus-5-5`, "{}", 404, "This proxy serves Vertex's rawPredict and streamRawPredict methods of Anthropic models only."],
      [`${VERTEX_MODELS}/:rawPredict`, "{}", 404, "The path names no model."],
      [`${VERTEX_MODELS}/count-tokens:rawPredict`, `{"messages": [{"role": "user", "content": "${INSTANCE}"}]}`, 400, "Invalid request: count-tokens needs a model in the body."],
      [`${VERTEX_MODELS}/count-tokens:streamRawPredict`, "{}", 404, "count-tokens is served by rawPredict only."],
    ];
    for (const [path, body, status, message] of cases) {
      const response = await post(path, body);
      expect(response.status).toBe(status);
      const error = ((await response.json()) as { error: { message: string } }).error;
      expect(error.message).toBe(message);
    }
    expect((await post(`${VERTEX_MODELS}/claude-opus-5-5:rawPredict`, "{}", "wrong-key")).status).toBe(401);
    expect(upstream.requests.length).toBe(0);
  });
});
