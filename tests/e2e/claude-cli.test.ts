/**
 * The product's real client end to end: the `claude` CLI (pinned dev dependency) → the proxy
 * → the scripted upstream. Tools run on the user's machine with the originals while the
 * upstream only ever sees surrogates.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startCuttingUpstream } from "../fixtures/cutting-upstream.ts";
import { respond, startScriptedUpstream, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { encodeSse, messageEvents } from "../fixtures/sse-builder.ts";
import { runClaude } from "../helpers/claude-cli.ts";
import { tempDir } from "../helpers/proxy-process.ts";
import { maskedViaProxy, startTestProxy, type TestProxy } from "../helpers/test-proxy.ts";
import { ON_BEDROCK, ON_CLOUD, startUpstreamUnderTest } from "../helpers/upstream-under-test.ts";

const INSTANCE = "i-0a1b2c3d4e5f67890";
const ACCOUNT = "123456789012";

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

const upstreamSaw = () => upstream.requests.map((request) => request.bodyText).join("\n");
const surrogateOf = (original: string) => maskedViaProxy(proxy, original);

describe("claude -p through the proxy", () => {
  test.each([
    ["ANTHROPIC_AUTH_TOKEN", (key: string) => ({ ANTHROPIC_AUTH_TOKEN: key })],
    ["ANTHROPIC_API_KEY", (key: string) => ({ ANTHROPIC_API_KEY: key })],
  ] as const)("%s: a prompt with AWS identifiers is masked upstream and the answer comes back restored", async (_style, auth) => {
    const ec2 = await surrogateOf(INSTANCE);
    upstream.script(respond.stream({ content: [{ type: "text", text: `Instance ${ec2} in account AWS_ACCOUNT_001 looks healthy.` }] }));
    const run = await runClaude({ prompt: `Is ${INSTANCE} in account ${ACCOUNT} healthy?`, baseUrl: proxy.url, auth: auth(proxy.key) });
    expect(run.exitCode).toBe(0);
    expect(run.result.is_error).toBe(false);
    expect(run.result.result).toBe(`Instance ${INSTANCE} in account ${ACCOUNT} looks healthy.`);
    const request = upstream.requests.find((r) => r.path.startsWith("/v1/messages"))!;
    expect(request.path).toBe("/v1/messages?beta=true");
    expect(request.json.stream).toBe(true);
    expect(JSON.stringify(request.json.messages)).toContain(`Is ${ec2} in account AWS_ACCOUNT_001 healthy?`);
    expect(upstreamSaw()).not.toContain(INSTANCE);
    expect(upstreamSaw()).not.toContain(ACCOUNT);
  }, 90_000);

  test("Bash tool round trip: the command runs with the real ID, the tool_result goes back as the surrogate", async () => {
    const ec2 = await surrogateOf(INSTANCE);
    upstream.script(
      respond.stream(
        { content: [{ type: "tool_use", id: "toolu_bash", name: "Bash", input: { command: `echo ${ec2} | tee out.txt`, description: "Save the ID" } }], stop_reason: "tool_use" },
        { jsonChunk: 4 },
      ),
      respond.stream({ content: [{ type: "text", text: `Saved ${ec2} to out.txt.` }] }),
    );
    const run = await runClaude({ prompt: `Save ${INSTANCE} to out.txt`, baseUrl: proxy.url, auth: { ANTHROPIC_AUTH_TOKEN: proxy.key }, args: ["--allowedTools", "Bash"] });
    expect(run.exitCode).toBe(0);
    expect(await Bun.file(join(run.cwd, "out.txt")).text()).toBe(`${INSTANCE}\n`);
    const second = upstream.requests.filter((r) => r.path.startsWith("/v1/messages?"))[1]!;
    const toolResult = second.json.messages.at(-1).content.find((block: any) => block.type === "tool_result");
    expect(toolResult.content).toBe(ec2);
    const toolUse = second.json.messages.at(-2).content.find((block: any) => block.type === "tool_use");
    expect(toolUse.input.command).toBe(`echo ${ec2} | tee out.txt`);
    expect(run.result.result).toBe(`Saved ${INSTANCE} to out.txt.`);
    expect(upstreamSaw()).not.toContain(INSTANCE);
  }, 90_000);

  test("Read of a file full of secrets: its content never reaches the upstream in clear", async () => {
    const cwd = tempDir("cmp-claude-read-");
    const secrets = {
      key: "AKIAIOSFODNN7EXAMPLE",
      secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      password: "correct-horse-battery-staple-42",
      arn: `arn:aws:iam::${ACCOUNT}:role/prod-deployer`,
    };
    writeFileSync(
      join(cwd, "prod.env"),
      `AWS_ACCESS_KEY_ID=${secrets.key}\nAWS_SECRET_ACCESS_KEY=${secrets.secret}\nDB_PASSWORD=${secrets.password}\nROLE_ARN=${secrets.arn}\n`,
    );
    upstream.script(
      respond.stream({ content: [{ type: "tool_use", id: "toolu_read", name: "Read", input: { file_path: join(cwd, "prod.env") } }], stop_reason: "tool_use" }),
      respond.stream({ content: [{ type: "text", text: "The file sets AWS_ACCESS_KEY_001." }] }),
    );
    const run = await runClaude({ prompt: "What does prod.env configure?", baseUrl: proxy.url, auth: { ANTHROPIC_AUTH_TOKEN: proxy.key }, cwd, args: ["--allowedTools", "Read"] });
    expect(run.exitCode).toBe(0);
    const toolResults = JSON.stringify(upstream.requests.filter((r) => r.path.startsWith("/v1/messages?"))[1]!.json.messages.at(-1));
    expect(toolResults).toContain("AWS_ACCESS_KEY_ID=AWS_ACCESS_KEY_001");
    expect(toolResults).toContain("DB_PASSWORD=SECRET_VALUE_001");
    for (const value of [...Object.values(secrets), ACCOUNT]) expect(upstreamSaw()).not.toContain(value);
    expect(run.result.result).toBe(`The file sets ${secrets.key}.`);
  }, 90_000);
});

describe("what the CLI reports when things fail", () => {
  // Bedrock answers in its own words (bedrock-upstream.test.ts maps them; the Bedrock pass below checks the CLI shows them).
  test.skipIf(ON_BEDROCK).each([
    [429, "rate_limit_error", "API Error: Request rejected (429) · slow down"],
    [529, "overloaded_error", "API Error: 529 slow down."],
    [500, "api_error", "API Error: 500 slow down."],
  ] as const)("upstream %i", async (status, type, expected) => {
    upstream.script(respond.error(status, type, "slow down"));
    const run = await runClaude({ prompt: "hi", baseUrl: proxy.url, auth: { ANTHROPIC_AUTH_TOKEN: proxy.key } });
    expect(run.exitCode).toBe(1);
    expect(run.result.is_error).toBe(true);
    expect(run.result.result.startsWith(expected)).toBe(true);
  }, 90_000);

  test("a wrong proxy key fails at once with the proxy's message (no retries)", async () => {
    const run = await runClaude({ prompt: "hi", baseUrl: proxy.url, auth: { ANTHROPIC_AUTH_TOKEN: "not-a-proxy-key" }, retries: 3 });
    expect(run.exitCode).toBe(1);
    expect(run.result.result).toBe("Failed to authenticate. API Error: 401 Invalid proxy key: use a key from PROXY_API_KEYS (not an Anthropic or other provider key).");
    expect(upstream.requests.length).toBe(0);
  }, 90_000);

  test.skipIf(ON_CLOUD)("the upstream refuses the proxy's own key: claude fails at once with the operator's fix, the upstream is asked once", async () => {
    for (let i = 0; i < 5; i++) upstream.script(respond.error(401, "authentication_error", "invalid x-api-key"));
    const run = await runClaude({ prompt: "hi", baseUrl: proxy.url, auth: { ANTHROPIC_AUTH_TOKEN: proxy.key }, retries: 3 });
    expect(run.exitCode).toBe(1);
    expect(run.result.is_error).toBe(true);
    expect(run.result.result).toContain("The proxy's upstream key was refused (the upstream answered HTTP 401); your own key is fine. The operator must fix ANTHROPIC_API_KEY on the proxy host.");
    expect(upstream.requests.filter((r) => r.path.startsWith("/v1/messages")).length).toBe(1);
  }, 90_000);

  test("the upstream is unreachable: claude fails at once, told a retry will not help", async () => {
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const deadUrl = `http://127.0.0.1:${closed.port}`;
    await closed.stop(true);
    const offline = await startTestProxy({ upstreamUrl: deadUrl });
    try {
      const run = await runClaude({ prompt: "hi", baseUrl: offline.url, auth: { ANTHROPIC_AUTH_TOKEN: offline.key }, retries: 3 });
      expect(run.exitCode).toBe(1);
      expect(run.result.is_error).toBe(true);
      expect(run.result.result).toContain("The proxy cannot reach its upstream API: the connection was refused. Retrying will not help");
      const asked = offline.logs.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "request" && entry.route === "/v1/messages");
      expect(asked.length).toBe(1);
    } finally {
      await offline.stop();
    }
  }, 90_000);

  test("a stream cut mid-way is reported as an error, not taken for a complete answer", async () => {
    const wire = encodeSse(messageEvents({ content: [{ type: "text", text: "A long answer about AWS_EC2_001. ".repeat(8) }] }));
    const cutting = startCuttingUpstream(wire, 420);
    const cutProxy = await startTestProxy({ upstreamUrl: cutting.url });
    try {
      const run = await runClaude({ prompt: "hi", baseUrl: cutProxy.url, auth: { ANTHROPIC_AUTH_TOKEN: cutProxy.key } });
      expect(run.exitCode).toBe(1);
      expect(run.result.is_error).toBe(true);
      expect(run.result.result.startsWith("API Error:")).toBe(true);
    } finally {
      await cutProxy.stop();
      cutting.stop();
    }
  }, 90_000);
});
