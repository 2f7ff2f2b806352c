/**
 * /v1/messages end to end: the real @anthropic-ai/sdk → the proxy on a real socket → the
 * scripted upstream, which records every body it receives.
 */
import Anthropic from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { respond, startScriptedUpstream, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { encodeSse, finalMessage, messageEvents, seededRandom } from "../fixtures/sse-builder.ts";
import { startCuttingUpstream } from "../fixtures/cutting-upstream.ts";
import { maskedViaProxy, startTestProxy, type TestProxy } from "../helpers/test-proxy.ts";
import { ON_BEDROCK, ON_CLOUD, ON_VERTEX, startUpstreamUnderTest } from "../helpers/upstream-under-test.ts";

/** The wire fields of a Message, without the SDK's own helper fields (parsed_output, __json_buf). */
function wireFields(message: Anthropic.Message) {
  const { id, type, role, model, stop_reason, stop_sequence, usage } = message;
  const content = message.content.map((block) => {
    const { parsed_output: _p, __json_buf: _j, ...rest } = block as any;
    return rest;
  });
  return { id, type, role, model, content, stop_reason, stop_sequence, usage };
}

const INSTANCE = "i-0a1b2c3d4e5f67890";
const ACCOUNT = "123456789012";
const ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE";
const ROLE = "deploy-prod";
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const PASSWORD = 'p@ss"w0rd\\한글';
const ORIGINALS = [INSTANCE, ACCOUNT, ACCESS_KEY, ROLE_ARN];

let upstream: ScriptedUpstream;
let proxy: TestProxy;
let client: Anthropic;

beforeAll(async () => {
  // The scripted Anthropic API, or the Bedrock stand-in with TEST_UPSTREAM_PROVIDER=bedrock.
  const underTest = await startUpstreamUnderTest();
  upstream = underTest.upstream;
  proxy = await startTestProxy({ upstreamUrl: upstream.url, env: underTest.proxyEnv });
  client = new Anthropic({ baseURL: proxy.url, apiKey: proxy.key, maxRetries: 0 });
});
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
beforeEach(() => upstream.reset());

const upstreamSaw = () => upstream.requests.map((request) => request.bodyText).join("\n");
function expectNoOriginalUpstream(originals = ORIGINALS) {
  const seen = upstreamSaw();
  for (const original of originals) expect(seen).not.toContain(original);
}

/** The tenant's surrogate for an original, via /v1/mask (same store, same mapping). */
const surrogateOf = (original: string, key = proxy.key) => maskedViaProxy(proxy, original, key);

const userTurn = `Why is ${INSTANCE} slow? Key ${ACCESS_KEY}, role ${ROLE_ARN}`;

describe("JSON answers", () => {
  test("the upstream sees surrogates only, the SDK gets originals, headers are forwarded", async () => {
    const ec2 = await surrogateOf(INSTANCE);
    expect(ec2).toBe("AWS_EC2_001");
    upstream.script(respond.message({ content: [{ type: "text", text: `Restart ${ec2} in AWS_ACCOUNT_001 now.` }] }));
    const message = await client.messages.create(
      {
        model: "m",
        max_tokens: 100,
        system: [{ type: "text", text: `Account ${ACCOUNT}` }],
        messages: [{ role: "user", content: userTurn }],
      },
      { headers: { "anthropic-beta": "context-management-2025-06-27" }, query: { beta: "true" } },
    );
    expect(message.content).toEqual([{ type: "text", text: `Restart ${INSTANCE} in ${ACCOUNT} now.` } as any]);
    expectNoOriginalUpstream();
    const sent = upstream.requests[0]!;
    expect(sent.headers["anthropic-beta"]).toBe("context-management-2025-06-27");
    if (ON_BEDROCK) {
      // Bedrock: the proxy's own AWS identity signs; no client or Anthropic key leaves.
      expect(sent.headers.authorization).toStartWith("AWS4-HMAC-SHA256 Credential=AKIASTANDINEXAMPLE01/");
      expect(sent.headers["x-api-key"]).toBeUndefined();
    } else if (ON_VERTEX) {
      // Vertex: a token minted for the proxy's own Google identity; no client or Anthropic key leaves.
      expect(sent.headers.authorization).toStartWith("Bearer ya29.standin-");
      expect(sent.headers["x-api-key"]).toBeUndefined();
    } else {
      expect(sent.path).toBe("/v1/messages?beta=true");
      expect(sent.headers["x-api-key"]).toBe("sk-ant-upstream-test-key-000000");
      expect(sent.headers.authorization).toBe("Bearer sk-ant-upstream-test-key-000000");
    }
    expect(sent.json.system).toEqual([{ type: "text", text: "Account AWS_ACCOUNT_001" }]);
    expect(sent.json.messages[0].content).toBe(
      "Why is AWS_EC2_001 slow? Key AWS_ACCESS_KEY_001, role arn:aws:iam::AWS_ACCOUNT_001:role/AWS_IAM_ROLE_001",
    );
  });

  test("unknown top-level fields, a system-role message and metadata pass through unmasked where structural", async () => {
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
    const body = {
      model: "m",
      max_tokens: 10,
      context_management: { edits: [{ type: "clear_tool_uses_20250919" }] },
      thinking: { type: "adaptive" },
      metadata: { user_id: JSON.stringify({ device_id: "abc", session_id: "s-1" }) },
      messages: [
        { role: "system", content: [{ type: "text", text: `cwd has ${INSTANCE}` }] },
        { role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] },
      ],
    };
    const response = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${proxy.key}`, "content-type": "application/json", "anthropic-version": "2023-06-01" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
    const sent = upstream.requests[0]!.json;
    expect(sent).toEqual({
      ...body,
      messages: [{ role: "system", content: [{ type: "text", text: "cwd has AWS_EC2_001" }] }, body.messages[1]],
    });
  });
});

describe("streamed answers", () => {
  const toolInput = { command: "echo AWS_EC2_001 > out.txt", description: `Record it for AWS_ACCOUNT_001` };
  const spec = {
    content: [
      { type: "thinking" as const, thinking: "The user means AWS_EC2_001 in AWS_ACCOUNT_001.", signature: "c2lnbmF0dXJl" },
      { type: "text" as const, text: "인스턴스 AWS_EC2_001의 상태: AWS_ACCOUNT_001 계정. Unknown AWS_EC2_777 stays." },
      { type: "tool_use" as const, id: "toolu_01", name: "Bash", input: toolInput },
    ],
    stop_reason: "tool_use",
  };
  const restored = finalMessage({
    ...spec,
    content: [
      { type: "thinking", thinking: `The user means ${INSTANCE} in ${ACCOUNT}.`, signature: "c2lnbmF0dXJl" },
      { type: "text", text: `인스턴스 ${INSTANCE}의 상태: ${ACCOUNT} 계정. Unknown AWS_EC2_777 stays.` },
      { type: "tool_use", id: "toolu_01", name: "Bash", input: { command: `echo ${INSTANCE} > out.txt`, description: `Record it for ${ACCOUNT}` } },
    ],
  });
  const wire = encodeSse(messageEvents(spec, { textChunk: 5, jsonChunk: 4 }));

  test("messages.stream().finalMessage() gives the originals, thinking, text and tool input", async () => {
    await surrogateOf(`${INSTANCE} ${ACCOUNT}`);
    upstream.script(respond.sse(wire));
    const message = await client.messages.stream({ model: "m", max_tokens: 100, messages: [{ role: "user", content: userTurn }] }).finalMessage();
    expect(wireFields(message)).toEqual(restored as any);
    expectNoOriginalUpstream();
  });

  test("create({stream: true}) yields one event per upstream event", async () => {
    upstream.script(respond.sse(wire));
    const stream = await client.messages.create({ model: "m", max_tokens: 100, stream: true, messages: [{ role: "user", content: "hi" }] });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    // The SDK drops `ping`; every other event arrives once, in order (no tail was held at any stop).
    expect(types).toEqual(messageEvents(spec, { textChunk: 5, jsonChunk: 4 }).map((event) => event.event).filter((type) => type !== "ping"));
  });

  test("1,000 random byte splits (inside surrogates, UTF-8 characters and \\u escapes) reassemble to the same message", async () => {
    // An original that needs JSON escaping inside partial_json, and a Korean answer.
    const secretSurrogate = (await surrogateOf(`DB_PASSWORD=${PASSWORD}x`)).replace("DB_PASSWORD=", "");
    const unicodeSpec = {
      content: [
        { type: "text" as const, text: "비밀번호 \u00e9 AWS_EC2_001 → ok" },
        { type: "tool_use" as const, id: "toolu_02", name: "Bash", input: { command: `mysql -p${secretSurrogate}`, note: "é\u2028AWS_EC2_001" } },
      ],
    };
    const expected = finalMessage({
      content: [
        { type: "text", text: `비밀번호 \u00e9 ${INSTANCE} → ok` },
        { type: "tool_use", id: "toolu_02", name: "Bash", input: { command: `mysql -p${PASSWORD}x`, note: `é\u2028${INSTANCE}` } },
      ],
    });
    // JSON.stringify keeps é raw; force \u escapes into partial_json so splits can land inside them.
    const text = encodeSse(messageEvents(unicodeSpec, { textChunk: 3, jsonChunk: 6 })).replace(/é/g, "\\u00e9");
    const bytes = new TextEncoder().encode(text).length;
    const random = seededRandom(20261124);
    for (let i = 0; i < 1000; i++) {
      const splits = Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * bytes));
      upstream.script(respond.sse(text, { splits }));
      const message = await client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "go" }] }).finalMessage();
      expect(wireFields(message)).toEqual(expected as any);
    }
  }, 120_000);

  test("a stream cut mid-way ends with an SSE error event, not a clean EOF", async () => {
    const cutting = startCuttingUpstream(wire, Math.floor(wire.length / 2));
    const cutProxy = await startTestProxy({ upstreamUrl: cutting.url });
    try {
      const response = await fetch(`${cutProxy.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": cutProxy.key, "content-type": "application/json" },
        body: JSON.stringify({ model: "m", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] }),
      });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text.slice(text.lastIndexOf("event: "))).toBe(
        'event: error\ndata: {"type":"error","error":{"type":"api_error","message":"The upstream stream ended unexpectedly; the answer is incomplete. Retry the request."}}\n\n',
      );
      expect(text).not.toContain("message_stop");
      expect(text).toContain("event: message_start");
    } finally {
      await cutProxy.stop();
      cutting.stop();
    }
  });

  test("an upstream error event mid-stream reaches the client as it was", async () => {
    const events = messageEvents({ content: [{ type: "text", text: "partial answer" }] }).slice(0, 4);
    const errorEvent = 'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
    upstream.script(respond.sse(encodeSse(events) + errorEvent));
    const stream = client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "hi" }] });
    await expect(stream.finalMessage()).rejects.toThrow("Overloaded");
  });

  test("a client that goes away aborts the upstream request", async () => {
    let aborted = false;
    upstream.script(respond.stall(() => (aborted = true)));
    const controller = new AbortController();
    const pending = fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": proxy.key, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] }),
      signal: controller.signal,
    }).catch(() => "aborted");
    for (let i = 0; i < 100 && upstream.requests.length === 0; i++) await Bun.sleep(10);
    controller.abort();
    expect(await pending).toBe("aborted");
    for (let i = 0; i < 200 && !aborted; i++) await Bun.sleep(10);
    expect(aborted).toBe(true);
  });
});

describe("conversations", () => {
  test("tool round trip: the SDK's parsed input holds originals; the tool_result goes back masked with the same surrogates", async () => {
    const ec2 = await surrogateOf(INSTANCE);
    upstream.script(
      respond.stream(
        { content: [{ type: "tool_use", id: "toolu_9", name: "Bash", input: { command: `aws ec2 reboot-instances --instance-ids ${ec2}` } }], stop_reason: "tool_use" },
        { jsonChunk: 3 },
      ),
    );
    const first = await client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: `reboot ${INSTANCE}` }] }).finalMessage();
    const toolUse = first.content[0] as Anthropic.ToolUseBlock;
    expect(toolUse.input).toEqual({ command: `aws ec2 reboot-instances --instance-ids ${INSTANCE}` });

    upstream.script(respond.message({ content: [{ type: "text", text: "Done." }] }));
    await client.messages.create({
      model: "m",
      max_tokens: 10,
      messages: [
        { role: "user", content: `reboot ${INSTANCE}` },
        { role: "assistant", content: first.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_9", content: `{"StartingInstances":[{"InstanceId":"${INSTANCE}"}]}` }] },
      ],
    });
    const second = upstream.requests[1]!.json;
    expect(second.messages[1].content[0].input).toEqual({ command: `aws ec2 reboot-instances --instance-ids ${ec2}` });
    expect(second.messages[2].content[0].content).toBe(`{"StartingInstances":[{"InstanceId":"${ec2}"}]}`);
    expectNoOriginalUpstream([INSTANCE]);
  });

  test("thinking: restored for the client, then sent back byte-identical to what the upstream signed", async () => {
    // The model wrote a look-alike of its own: masking the restored text alone would change it.
    const signedThinking = `Check AWS_EC2_001 and also i-0fedcba9876543210 which I made up.`;
    upstream.script(respond.stream({ content: [{ type: "thinking", thinking: signedThinking, signature: "U0lHTkVE" }, { type: "text", text: "ok" }] }));
    const first = await client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: `about ${INSTANCE}` }] }).finalMessage();
    const thinking = first.content[0] as Anthropic.ThinkingBlock;
    expect(thinking.thinking).toBe(`Check ${INSTANCE} and also i-0fedcba9876543210 which I made up.`);

    upstream.script(respond.message({ content: [{ type: "text", text: "fine" }] }));
    await client.messages.create({
      model: "m",
      max_tokens: 10,
      messages: [
        { role: "user", content: `about ${INSTANCE}` },
        { role: "assistant", content: first.content },
        { role: "user", content: "go on" },
      ],
    });
    const resent = upstream.requests[1]!.json.messages[1].content[0];
    expect(resent).toEqual({ type: "thinking", thinking: signedThinking, signature: "U0lHTkVE" });
  });

  test("prompt cache stability: the same conversation, and one extended by a turn, give byte-identical masked prefixes", async () => {
    const turns: Anthropic.MessageParam[] = [
      { role: "user", content: userTurn },
      { role: "assistant", content: [{ type: "text", text: `Looking at ${INSTANCE}` }] },
    ];
    const send = async (messages: Anthropic.MessageParam[]) => {
      upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
      await client.messages.create({ model: "m", max_tokens: 10, system: `account ${ACCOUNT}`, messages });
      return upstream.requests.at(-1)!.bodyText;
    };
    const once = await send(turns);
    const twice = await send(turns);
    expect(twice).toBe(once);
    const extended = await send([...turns, { role: "user", content: `and ${ACCESS_KEY}?` }]);
    const prefix = once.slice(0, once.lastIndexOf("]"));
    expect(extended.startsWith(prefix)).toBe(true);
  });

  test("literal surrogates: text typed as AWS_EC2_001 comes back as typed, never as an instance ID", async () => {
    await surrogateOf(INSTANCE); // AWS_EC2_001 is a real surrogate in this tenant
    upstream.script((request) => {
      const typed = request.json.messages[0].content as string;
      return Response.json(finalMessage({ content: [{ type: "text", text: `You wrote ${typed.split(" ")[1]}` }] }));
    });
    const message = await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: "literally AWS_EC2_001" }] });
    expect(upstream.requests[0]!.json.messages[0].content).toMatch(/^literally LITERAL_\d{3}$/);
    expect(message.content).toEqual([{ type: "text", text: "You wrote AWS_EC2_001" } as any]);
  });
});

describe("other routes", () => {
  test("count_tokens is masked before it leaves, and its answer comes back as the upstream gave it", async () => {
    const result = await client.messages.countTokens({ model: "m", system: `Account ${ACCOUNT}`, messages: [{ role: "user", content: userTurn }] });
    const sent = upstream.requests[0]!;
    expect(sent.method).toBe("POST");
    expect(sent.path).toBe("/v1/messages/count_tokens");
    expect(sent.json).toEqual({
      model: "m",
      // A bare account is masked in an account context; its surrogate is the one inside the ARN.
      system: `Account ${(await surrogateOf(ROLE_ARN)).split(":")[4]}`,
      messages: [{ role: "user", content: `Why is ${await surrogateOf(INSTANCE)} slow? Key ${await surrogateOf(ACCESS_KEY)}, role ${await surrogateOf(ROLE_ARN)}` }],
    });
    // The fixture counts the bytes it received: the client sees the upstream's own answer.
    expect(result).toEqual({ input_tokens: Math.ceil(sent.bodyText.length / 4) });
    expectNoOriginalUpstream();
  });

  // Bedrock lists no models: the proxy lists the mapped ones (bedrock-upstream.test.ts).
  test.skipIf(ON_CLOUD)("models are passed through", async () => {
    const page = await client.models.list();
    expect(page.data.map((model) => model.id)).toEqual(["claude-sonnet-4-5"]);
    const model = await client.models.retrieve("claude-opus-4-1");
    expect(model.id).toBe("claude-opus-4-1");
  });

  test("/v1/mask never returns originals; /v1/unmask is tenant-scoped", async () => {
    const masked = await fetch(`${proxy.url}/v1/mask`, {
      method: "POST",
      headers: { "x-api-key": proxy.key, "content-type": "application/json" },
      body: JSON.stringify({ text: `${ACCESS_KEY} on ${INSTANCE}` }),
    }).then((r) => r.json() as any);
    expect(masked).toEqual({
      text: "AWS_ACCESS_KEY_001 on AWS_EC2_001",
      entities: [
        { type: "aws_access_key_id", surrogate: "AWS_ACCESS_KEY_001" },
        { type: "ec2_instance", surrogate: "AWS_EC2_001" },
      ],
    });
    const unmask = (key: string) =>
      fetch(`${proxy.url}/v1/unmask`, {
        method: "POST",
        headers: { "x-api-key": key, "content-type": "application/json" },
        body: JSON.stringify({ text: masked.text }),
      }).then((r) => r.json());
    expect(await unmask(proxy.key)).toEqual({
      text: `${ACCESS_KEY} on ${INSTANCE}`,
      entities: [
        { type: "aws_access_key_id", surrogate: "AWS_ACCESS_KEY_001" },
        { type: "ec2_instance", surrogate: "AWS_EC2_001" },
      ],
    });
    expect(await unmask(proxy.otherKey)).toEqual({ text: masked.text, entities: [] });
  });
});

describe("egress guard", () => {
  test("an original masked in the content but also standing in a field the proxy never masks → 500, nothing forwarded", async () => {
    const response = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": proxy.key, "content-type": "application/json" },
      // `model` is structural (never masked); a client that copies an instance ID into it
      // would leak it, so the seat belt refuses the whole request.
      body: JSON.stringify({ model: `m-${INSTANCE}`, max_tokens: 5, messages: [{ role: "user", content: `about ${INSTANCE}` }] }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      type: "error",
      error: {
        type: "api_error",
        message: "The proxy refused to forward this request because masking was incomplete (no data was sent). Please report this to your operators.",
      },
    });
    expect(upstream.requests.length).toBe(0);
    const logged = proxy.logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === "egress guard refused a request");
    expect(logged.types).toEqual(["ec2_instance"]);
    expect(proxy.logs.join("\n")).not.toContain(INSTANCE);
  });

  test("an original that also appears undetected in other content is masked there too, not refused", async () => {
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
    const password = "Tr0ub4dor&3-horse";
    const response = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": proxy.key, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", max_tokens: 5, messages: [{ role: "user", content: `DB_PASSWORD=${password}\nIs "${password}" strong?` }] }),
    });
    expect(response.status).toBe(200);
    expect(upstream.requests[0]!.json.messages[0].content).toBe('DB_PASSWORD=SECRET_VALUE_001\nIs "SECRET_VALUE_001" strong?');
  });
});

describe("upstream failures", () => {
  // Bedrock's errors are its own, mapped to Anthropic's (bedrock-upstream.test.ts).
  test.skipIf(ON_BEDROCK).each([
    [429, "rate_limit_error", "Number of requests has exceeded your rate limit", { "retry-after": "17" }],
    [529, "overloaded_error", "Overloaded", {}],
    [500, "api_error", "Internal server error", {}],
  ] as const)("HTTP %i passes through in Anthropic shape with its headers", async (status, type, message, headers) => {
    upstream.script(respond.error(status, type, message, headers));
    const response = await fetch(`${proxy.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": proxy.key, "content-type": "application/json" },
      body: JSON.stringify({ model: "m", max_tokens: 10, messages: [{ role: "user", content: userTurn }] }),
    });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ type: "error", error: { type, message }, request_id: "req_fixture_err" });
    expect(response.headers.get("request-id")).toBe("req_fixture_json");
    if ("retry-after" in headers) expect(response.headers.get("retry-after")).toBe("17");
    expectNoOriginalUpstream();
  });

  test("an unreachable upstream → 502 api_error, nothing leaked in the message", async () => {
    const closed = Bun.serve({ port: 0, fetch: () => new Response() });
    const deadUrl = `http://127.0.0.1:${closed.port}`;
    await closed.stop(true);
    const dead = await startTestProxy({ upstreamUrl: deadUrl });
    try {
      const response = await fetch(`${dead.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": dead.key, "content-type": "application/json" },
        body: JSON.stringify({ model: "m", max_tokens: 10, messages: [{ role: "user", content: userTurn }] }),
      });
      expect(response.status).toBe(502);
      // Nothing listens there: a retry cannot help, so Claude Code is told not to.
      expect(response.headers.get("x-should-retry")).toBe("false");
      const refused =
        "The proxy cannot reach its upstream API: the connection was refused. Retrying will not help; the operator must fix ANTHROPIC_UPSTREAM_URL or the network of the proxy host.";
      expect(await response.json()).toEqual({ type: "error", error: { type: "api_error", message: refused } });
      // Regression: the log said only "ProxyError"; it now says why, and still no original.
      const failed = dead.logs.map((line) => JSON.parse(line)).find((entry) => entry.msg === "request failed");
      expect(failed).toMatchObject({ status: 502, error: "ProxyError", reason: refused });
      expect(failed.cause).toStartWith("APIConnectionError: Connection error.");
      expect(failed.cause.length).toBeGreaterThan("APIConnectionError: Connection error.".length);
      for (const original of ORIGINALS) expect(dead.logs.join("\n")).not.toContain(original);
    } finally {
      await dead.stop();
    }
  });
});

describe("#14: every field, tool input names, new conversations", () => {
  const MCP_INSTANCE = "i-0feedc0ffee123456";
  const MCP_KEY = "AKIAMCPSCHEMAEXAMPL1";

  test("#2: an MCP tool's schema, examples, structured-output schema, stop sequences and metadata go upstream masked; mentioning them is no 500", async () => {
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
    const message = await client.messages.create({
      model: "claude-x",
      max_tokens: 10,
      tools: [
        {
          name: "restart",
          description: "Restarts an instance",
          input_schema: { type: "object", properties: { instance: { type: "string", enum: [MCP_INSTANCE, "i-0aaaaaaaaaaaaaaaa"], default: MCP_INSTANCE, description: `in account ${ACCOUNT}, as ${ROLE_ARN}` }, key: { const: MCP_KEY } } },
          input_examples: [{ instance: MCP_INSTANCE }],
        } as Anthropic.Tool,
      ],
      stop_sequences: [`END ${MCP_INSTANCE}`],
      metadata: { user_id: `user-of-${ACCOUNT}` },
      output_format: { type: "json_schema", schema: { type: "object", description: `report for ${MCP_INSTANCE}` } },
      messages: [{ role: "user", content: `Restart ${MCP_INSTANCE} please` }],
    } as Anthropic.MessageCreateParamsNonStreaming);
    expect(message.content as unknown).toEqual([{ type: "text", text: "ok" }]);
    expectNoOriginalUpstream([MCP_INSTANCE, MCP_KEY, ACCOUNT, ROLE_ARN, "i-0aaaaaaaaaaaaaaaa"]);
    const sent = upstream.requests[0]!.json;
    const ec2 = await surrogateOf(MCP_INSTANCE);
    expect(sent.tools[0].input_schema.properties.instance.enum[0]).toBe(ec2);
    expect(sent.messages[0].content).toBe(`Restart ${ec2} please`);
    expect(sent.stop_sequences).toEqual([`END ${ec2}`]);
  });

  test("#4: a tool input whose member name holds an identifier is restored in JSON and in SSE alike, and goes back masked next turn", async () => {
    const ec2 = await surrogateOf(INSTANCE);
    const toolUse = { type: "tool_use" as const, id: "toolu_k", name: "tag", input: { [ec2]: `owner of ${ec2}` } };
    upstream.script(respond.message({ content: [toolUse], stop_reason: "tool_use" }));
    const json = await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: `tag ${INSTANCE}` }] });
    expect(json.content as unknown).toEqual([{ ...toolUse, input: { [INSTANCE]: `owner of ${INSTANCE}` } }]);
    upstream.script(respond.stream({ content: [toolUse], stop_reason: "tool_use" }));
    const streamed = await client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: `tag ${INSTANCE}` }] }).finalMessage();
    expect(streamed.content.map((block) => (block as Anthropic.ToolUseBlock).input)).toEqual([{ [INSTANCE]: `owner of ${INSTANCE}` }]);
    // Next turn: the restored name comes back in the history.
    upstream.script(respond.message({ content: [{ type: "text", text: "done" }] }));
    const next = await client.messages.create({
      model: "m",
      max_tokens: 10,
      messages: [
        { role: "user", content: `tag ${INSTANCE}` },
        { role: "assistant", content: json.content },
        { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_k", content: "tagged" }] },
      ],
    });
    expect(next.content as unknown).toEqual([{ type: "text", text: "done" }]);
    expect(upstream.requests.at(-1)!.json.messages[1].content[0].input).toEqual({ [ec2]: `owner of ${ec2}` });
    expectNoOriginalUpstream([INSTANCE]);
  });
});

describe("#5: request shapes the walker does not expect", () => {
  test.each([
    ["messages as a string", { messages: `about ${INSTANCE}` }, "messages must be an array of messages"],
    ["content as one object", { messages: [{ role: "user", content: { type: "text", text: INSTANCE } }] }, "messages.0.content must be a string or an array of content blocks"],
    ["a block without type", { messages: [{ role: "user", content: [{ text: INSTANCE }] }] }, 'messages.0.content.0 must be a content block object with a string "type"'],
    ["system as an object", { system: { text: INSTANCE }, messages: [{ role: "user", content: "hi" }] }, "system must be a string or an array of content blocks"],
    ["a message without role", { messages: [{ content: INSTANCE }] }, "messages.0.role must be a string"],
    ["tool_result content as an object", { messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: "t", content: { text: INSTANCE } }] }] }, "messages.0.content.0.content must be a string or an array of content blocks"],
  ])("%s → 400 naming the field, nothing forwarded", async (_name, shape, problem) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      // Twice: the second time through the re-sent history path.
      const response = await fetch(`${proxy.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": proxy.key, "content-type": "application/json" },
        body: JSON.stringify({ model: "m", max_tokens: 5, ...shape }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ type: "error", error: { type: "invalid_request_error", message: `Invalid request: ${problem}.` } });
    }
    expect(upstream.requests.length).toBe(0);
  });

  test("the second turn of a valid conversation that adds a malformed message → 400 too", async () => {
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
    const first = [{ role: "user", content: `about ${INSTANCE} ${"context ".repeat(100)}` }];
    const send = (messages: unknown[]) =>
      fetch(`${proxy.url}/v1/messages`, { method: "POST", headers: { "x-api-key": proxy.key, "content-type": "application/json" }, body: JSON.stringify({ model: "m", max_tokens: 5, messages }) });
    expect((await send(first)).status).toBe(200);
    const response = await send([...first, { role: "assistant", content: "ok" }, { role: "user", content: { type: "text", text: INSTANCE } }]);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toBe("Invalid request: messages.2.content must be a string or an array of content blocks.");
    expect(upstream.requests.length).toBe(1);
  });
});

describe("#8: surrogates right after an escape are restored, streamed or not", () => {
  test("a tool input 'line1\\nSURROGATE' and a text with a literal \\n before one: the SSE path gives what the JSON path gives", async () => {
    const ec2 = await surrogateOf(INSTANCE);
    const content = [
      { type: "text" as const, text: `printf "a\\n${ec2}" and %2F${ec2}` },
      { type: "tool_use" as const, id: "toolu_e", name: "Bash", input: { command: `line1\n${ec2}\t${ec2}"${ec2}` } },
    ];
    const expected = [
      { type: "text", text: `printf "a\\n${INSTANCE}" and %2F${INSTANCE}` },
      { type: "tool_use", id: "toolu_e", name: "Bash", input: { command: `line1\n${INSTANCE}\t${INSTANCE}"${INSTANCE}` } },
    ];
    upstream.script(respond.message({ content, stop_reason: "tool_use" }));
    const json = await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: `run on ${INSTANCE}` }] });
    expect(json.content as unknown).toEqual(expected);
    upstream.script(respond.stream({ content, stop_reason: "tool_use" }));
    const streamed = await client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: `run on ${INSTANCE}` }] }).finalMessage();
    expect(wireFields(streamed).content as unknown).toEqual(expected);
  });
});

describe("/v1/mask previews what /v1/messages sends", () => {
  test("a repeat the catalogue misses is masked by the guard's repair, as in a request", async () => {
    const response = await fetch(`${proxy.url}/v1/mask`, {
      method: "POST",
      headers: { "x-api-key": proxy.key, "content-type": "application/json" },
      body: JSON.stringify({ text: "password: Vx7!preview-pass and later Vx7!preview-pass" }),
    });
    const { text, entities } = (await response.json()) as { text: string; entities: { type: string; surrogate: string }[] };
    expect(entities).toHaveLength(1);
    expect(text).toBe(`password: ${entities[0]!.surrogate} and later ${entities[0]!.surrogate}`);
  });
});

describe("#6: literals are decided on the original text", () => {
  test("a typed surrogate and the real value it stands for, in one request: each goes upstream as its own surrogate and comes back exactly as sent", async () => {
    const real = "i-0d6e5f4a3b2c1d0e9";
    const surrogate = await surrogateOf(real);
    const sent = `typed ${surrogate} and real ${real}, "${surrogate}"\n${real}`;
    upstream.script((request) => Response.json(finalMessage({ content: [{ type: "text", text: `echo: ${request.json.messages[0].content}` }] })));
    const json = await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: sent }] });
    const upstreamText = upstream.requests[0]!.json.messages[0].content as string;
    expect(upstreamText).toMatch(new RegExp(`^typed LITERAL_\\d{3} and real ${surrogate}, "LITERAL_\\d{3}"\\n${surrogate}$`));
    expect(json.content as unknown).toEqual([{ type: "text", text: `echo: ${sent}` }]);
    upstream.script((request, signal) => respond.stream({ content: [{ type: "text", text: `echo: ${request.json.messages[0].content}` }] })(request, signal));
    const streamed = await client.messages.stream({ model: "m", max_tokens: 10, messages: [{ role: "user", content: sent }] }).finalMessage();
    expect(wireFields(streamed).content as unknown).toEqual([{ type: "text", text: `echo: ${sent}` }]);
    // Re-sent as history (the pieces path): the same masking, and no refusal.
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }));
    const history = [{ role: "user" as const, content: sent }, { role: "assistant" as const, content: `echo: ${sent}` }, { role: "user" as const, content: "again" }];
    expect((await client.messages.create({ model: "m", max_tokens: 10, messages: history })).content as unknown).toEqual([{ type: "text", text: "ok" }]);
    const resent = upstream.requests.at(-1)!.json.messages;
    expect(resent[0].content).toBe(upstreamText);
    expect(resent[1].content).toBe(`echo: ${upstreamText}`);
    expectNoOriginalUpstream([real]);
  });
});

describe("#1: restore only what will be masked again", () => {
  test("a weak password comes back where its context is, stays a surrogate elsewhere, in JSON and SSE; the restored view re-sent as a new conversation leaks nothing", async () => {
    const weak = "tulips";
    const secret = (await surrogateOf(`password=${weak}`)).replace("password=", "");
    const ec2 = await surrogateOf(INSTANCE);
    const content = [
      { type: "text" as const, text: `Set password=${secret} on ${ec2}. Subagent: check ${secret} on ${ec2}` },
      { type: "tool_use" as const, id: "toolu_w", name: "Agent", input: { prompt: `Log in to ${ec2} with ${secret}`, command: `mysql password=${secret}` } },
    ];
    const expected = [
      { type: "text", text: `Set password=${weak} on ${INSTANCE}. Subagent: check ${secret} on ${INSTANCE}` },
      { type: "tool_use", id: "toolu_w", name: "Agent", input: { prompt: `Log in to ${INSTANCE} with ${secret}`, command: `mysql password=${weak}` } },
    ];
    const ask = { model: "m", max_tokens: 10, messages: [{ role: "user" as const, content: `password=${weak} for ${INSTANCE}` }] };
    upstream.script(respond.message({ content, stop_reason: "tool_use" }));
    const json = await client.messages.create(ask);
    expect(json.content as unknown).toEqual(expected);
    upstream.script(respond.stream({ content, stop_reason: "tool_use" }, { textChunk: 3, jsonChunk: 5 }));
    expect(wireFields(await client.messages.stream(ask).finalMessage()).content as unknown).toEqual(expected);
    // The subagent's prompt and a summary of the answer start new conversations.
    upstream.reset();
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }), respond.message({ content: [{ type: "text", text: "ok" }] }));
    await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: ((json.content[1] as Anthropic.ToolUseBlock).input as { prompt: string }).prompt }] });
    await client.messages.create({ model: "m", max_tokens: 10, messages: [{ role: "user", content: JSON.stringify(json.content) }] });
    expect(upstream.requests.length).toBe(2);
    expectNoOriginalUpstream([weak, INSTANCE]);
  });
});
