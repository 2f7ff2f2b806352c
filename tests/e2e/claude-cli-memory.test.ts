/**
 * #14 with the real `claude` CLI: text the model writes with surrogates comes back restored and
 * then starts new conversations (a subagent's prompt, a summary pasted into a new session), and
 * an MCP server's tool schema carries identifiers. None of them may reach the upstream in clear.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { respond, type RecordedRequest, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { startUpstreamUnderTest } from "../helpers/upstream-under-test.ts";
import type { MessageSpec } from "../fixtures/sse-builder.ts";
import { runClaude } from "../helpers/claude-cli.ts";
import { ROOT, tempDir } from "../helpers/proxy-process.ts";
import { maskedViaProxy, startTestProxy, type TestProxy } from "../helpers/test-proxy.ts";

const ROLE_ARN = "arn:aws:iam::210987654321:role/deploy-prod";
const ACCESS_KEY = "AKIAQWERTYUIOPASDFGH";
const PASSWORD = "Hunter2Secret!x";
const ORIGINALS = ["210987654321", "deploy-prod", ACCESS_KEY, PASSWORD];

let upstream: ScriptedUpstream;
let proxy: TestProxy;
beforeAll(async () => {
  // The scripted Anthropic API, or the Bedrock stand-in with TEST_UPSTREAM_PROVIDER=bedrock.
  const underTest = await startUpstreamUnderTest();
  upstream = underTest.upstream;
  proxy = await startTestProxy({ upstreamUrl: upstream.url, env: underTest.proxyEnv });
});
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
beforeEach(() => upstream.reset());

const messageRequests = () => upstream.requests.filter((request) => request.path.startsWith("/v1/messages?"));
function expectNoOriginalUpstream(originals: readonly string[]) {
  const seen = upstream.requests.map((request) => request.bodyText).join("\n");
  for (const original of originals) expect({ original, leaked: seen.includes(original) }).toEqual({ original, leaked: false });
}
const surrogateOf = (original: string) => maskedViaProxy(proxy, original);

/** Answers every /v1/messages request with what `route` says, streamed as the CLI asks. */
function answerWith(route: (request: RecordedRequest) => MessageSpec, count = 12) {
  for (let i = 0; i < count; i++) {
    upstream.script((request, signal) => {
      const spec = route(request);
      return request.json?.stream ? respond.stream(spec)(request, signal) : respond.message(spec)(request, signal);
    });
  }
}
const hasToolResult = (request: RecordedRequest, id: string) => JSON.stringify(request.json?.messages ?? []).includes(`"tool_use_id":"${id}"`);
const firstUserText = (request: RecordedRequest) => JSON.stringify(request.json?.messages?.[0]?.content ?? "");

describe("restored text that starts new conversations", () => {
  test("Agent tool: a subagent prompt the model writes with surrogates sends the upstream no original", async () => {
    const [, , , , accountSurrogate, roleResource] = (await surrogateOf(ROLE_ARN)).split(":") as string[];
    const roleSurrogate = roleResource!.split("/")[1]!;
    const keySurrogate = await surrogateOf(ACCESS_KEY);
    const secretSurrogate = (await surrogateOf(`password: ${PASSWORD}`)).replace("password: ", "");
    const subagentPrompt = `Inspect ${roleSurrogate} in ${accountSurrogate} using key ${keySurrogate} and password ${secretSurrogate}.`;
    answerWith((request) => {
      if (hasToolResult(request, "toolu_agent")) return { content: [{ type: "text", text: "The subagent is done." }] };
      if (firstUserText(request).includes("Inspect ")) return { content: [{ type: "text", text: `Checked ${roleSurrogate}.` }] };
      return {
        content: [{ type: "tool_use", id: "toolu_agent", name: "Agent", input: { description: "Inspect the role", prompt: subagentPrompt, subagent_type: "general-purpose", run_in_background: false } }],
        stop_reason: "tool_use",
      };
    });
    const run = await runClaude({
      prompt: `Delegate a check of ${ROLE_ARN} with key ${ACCESS_KEY}, password: ${PASSWORD}`,
      baseUrl: proxy.url,
      auth: { ANTHROPIC_AUTH_TOKEN: proxy.key },
      args: ["--allowedTools", "Agent"],
      timeoutMs: 80_000,
    });
    expect(run.exitCode).toBe(0);
    const subagent = messageRequests().find((request) => firstUserText(request).includes("Inspect "));
    expect(subagent).toBeDefined();
    // The subagent's conversation starts from the restored prompt, masked again with the same surrogates.
    expect(firstUserText(subagent!)).toContain(subagentPrompt);
    expectNoOriginalUpstream(ORIGINALS);
  }, 90_000);

  test("a new session seeded with a restored answer (a summary) sends the upstream no original", async () => {
    const masked = await surrogateOf(`${ROLE_ARN} password: ${PASSWORD}`);
    const summary = `Summary: we rotated ${masked} yesterday.`;
    upstream.script(respond.stream({ content: [{ type: "text", text: summary }] }));
    const first = await runClaude({ prompt: `Summarise: ${ROLE_ARN} password: ${PASSWORD}`, baseUrl: proxy.url, auth: { ANTHROPIC_AUTH_TOKEN: proxy.key } });
    expect(first.result.result).toBe(`Summary: we rotated ${ROLE_ARN} password: ${PASSWORD} yesterday.`);
    // The summary, out of its context, pasted into a new session without the words that made it sensitive.
    const seeded = (first.result.result as string).replace("arn:aws:iam::", "account ").replace(":role/", " role ").replace("password: ", "");
    upstream.script(respond.stream({ content: [{ type: "text", text: "ok" }] }));
    const second = await runClaude({ prompt: `Continue from: ${seeded}`, baseUrl: proxy.url, auth: { ANTHROPIC_AUTH_TOKEN: proxy.key } });
    expect(second.exitCode).toBe(0);
    expect(messageRequests().length).toBe(2);
    expectNoOriginalUpstream(ORIGINALS.filter((original) => original !== ACCESS_KEY));
  }, 90_000);
});

describe("an MCP server whose schema carries identifiers", () => {
  test("its schema goes upstream masked, the user can mention its values (no 500), and a call runs with the originals", async () => {
    const instance = "i-0feedc0ffee777777";
    const cwd = tempDir("cmp-claude-mcp-");
    const log = join(cwd, "calls.log");
    const config = { mcpServers: { aws: { type: "stdio", command: "bun", args: [join(ROOT, "tests/fixtures/mcp-server.ts")], env: { MCP_CALL_LOG: log, MCP_INSTANCE: instance, MCP_ROLE_ARN: ROLE_ARN, MCP_KEY: ACCESS_KEY } } } };
    writeFileSync(join(cwd, "mcp.json"), JSON.stringify(config));
    const ec2 = await surrogateOf(instance);
    answerWith((request) => {
      if (hasToolResult(request, "toolu_mcp")) return { content: [{ type: "text", text: `Restarted ${ec2}.` }] };
      return { content: [{ type: "tool_use", id: "toolu_mcp", name: "mcp__aws__restart", input: { instance: ec2 } }], stop_reason: "tool_use" };
    });
    const run = await runClaude({
      prompt: `Restart ${instance}, the default one`,
      baseUrl: proxy.url,
      auth: { ANTHROPIC_AUTH_TOKEN: proxy.key },
      cwd,
      args: ["--mcp-config", join(cwd, "mcp.json"), "--strict-mcp-config", "--allowedTools", "mcp__aws__restart"],
      // MCP tools' schemas go in every request's `tools` (with tool search, only once searched).
      env: { ENABLE_TOOL_SEARCH: "false" },
      timeoutMs: 80_000,
    });
    expect(run.exitCode).toBe(0);
    expect(run.result.result).toBe(`Restarted ${instance}.`);
    // The server ran with the real ID.
    expect(await Bun.file(log).text()).toBe(`restart ${instance}\n`);
    const first = messageRequests()[0]!;
    const tool = first.json.tools.find((candidate: { name: string }) => candidate.name === "mcp__aws__restart");
    expect(tool.input_schema.properties.instance.enum).toEqual([ec2]);
    expectNoOriginalUpstream([instance, ...ORIGINALS.filter((original) => original !== PASSWORD)]);
  }, 90_000);
});
