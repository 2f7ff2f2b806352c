/**
 * The Bedrock upstream client against the Bedrock stand-in, which verifies SigV4 with the AWS
 * signing library: model mapping, Bedrock's request shape, event streams split anywhere
 * coming back as Anthropic SSE, Bedrock's errors in Anthropic's shape, and signatures that
 * fail when the key or the body is not what was signed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { BedrockUpstream, cachedCredentials } from "../../src/anthropic/bedrock-upstream.ts";
import { ModelMap, loadModelMap } from "../../src/anthropic/model-map.ts";
import { ProxyError } from "../../src/errors.ts";
import { STAND_IN_CREDENTIALS, STAND_IN_REGION, startBedrockStandIn, type BedrockStandIn } from "../fixtures/bedrock-upstream.ts";
import { respond } from "../fixtures/scripted-upstream.ts";

let standIn: BedrockStandIn;
beforeAll(async () => {
  standIn = await startBedrockStandIn();
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.reset());

const models = new ModelMap({ "claude-sonnet-4-5-20250929": "us.anthropic.claude-sonnet-4-5-20250929-v1:0" });
const client = (credentials = STAND_IN_CREDENTIALS) => new BedrockUpstream({ region: STAND_IN_REGION, models, baseURL: standIn.url, credentials: async () => credentials });
const send = (upstream: BedrockUpstream, body: unknown, headers: Record<string, string> = {}) =>
  upstream.send({ method: "post", path: "/v1/messages?beta=true", clientHeaders: new Headers(headers), body: JSON.stringify(body) });
const text = (body: ReadableStream<Uint8Array> | null) => new Response(body).text();

describe("requests", () => {
  test("the model maps to its Bedrock ID in the path; model and stream leave the body, anthropic_version and anthropic_beta enter it; the signature verifies", async () => {
    const response = await send(client(), { model: "claude-sonnet-4-5-20250929", max_tokens: 10, messages: [{ role: "user", content: "hi" }] }, { "anthropic-beta": "interleaved-thinking-2025-05-14,context-1m-2025-08-07", "x-api-key": "client-key" });
    expect(response.status).toBe(200);
    expect(JSON.parse(await text(response.body)).content[0].text).toBe("Hello from the Bedrock stand-in.");
    expect(standIn.refused).toEqual([]);
    const [request] = standIn.requests;
    expect(request!.bedrock).toEqual({ path: "/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke", modelId: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", stream: false, auth: "sigv4" });
    expect(JSON.parse(request!.bodyText)).toEqual({
      max_tokens: 10,
      messages: [{ role: "user", content: "hi" }],
      anthropic_version: "bedrock-2023-05-31",
      anthropic_beta: ["interleaved-thinking-2025-05-14", "context-1m-2025-08-07"],
    });
    // The client's credentials never leave: only the proxy's signature.
    expect(request!.headers["x-api-key"]).toBeUndefined();
    expect(request!.headers.authorization).toStartWith(`AWS4-HMAC-SHA256 Credential=${STAND_IN_CREDENTIALS.accessKeyId}/`);
  });

  test("a stream: Bedrock's event-stream frames, split at random bytes, come back as the Anthropic SSE events", async () => {
    const spec = { content: [{ type: "text" as const, text: "Streamed through Bedrock, split anywhere." }] };
    standIn.script(respond.stream(spec));
    const response = await send(client(), { model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0", max_tokens: 10, stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const sse = await text(response.body);
    const events = sse.split("\n\n").filter(Boolean).map((block) => block.split("\n")[0]);
    expect([events.slice(0, 2), events.slice(-3)]).toEqual([["event: message_start", "event: content_block_start"], ["event: content_block_stop", "event: message_delta", "event: message_stop"]]);
    expect(new Set(events.slice(2, -3))).toEqual(new Set(["event: ping", "event: content_block_delta"]));
    const deltas = sse.split("\n").filter((line) => line.startsWith("data: ") && line.includes("text_delta")).map((line) => JSON.parse(line.slice(6)).delta.text);
    expect(deltas.join("")).toBe("Streamed through Bedrock, split anywhere.");
    expect(standIn.requests[0]!.bedrock.path).toBe("/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream");
  });

  test("an unmapped model is a 400 naming MODEL_MAP, and nothing is sent", async () => {
    const error = (await send(client(), { model: "claude-unknown", max_tokens: 1, messages: [] }).catch((e: unknown) => e)) as ProxyError;
    expect(error).toBeInstanceOf(ProxyError);
    expect([error.status, error.errorType]).toEqual([400, "invalid_request_error"]);
    expect(error.message).toBe('The model "claude-unknown" has no Amazon Bedrock mapping on this proxy; the operator can add it to MODEL_MAP (e.g. {"claude-unknown": "us.anthropic.…-v1:0"}).');
    expect(standIn.requests.length).toBe(0);
  });

  test("count_tokens: Bedrock's CountTokens with the Messages body inside, signed; its count comes back as input_tokens", async () => {
    const counted = await client().send({
      method: "post",
      path: "/v1/messages/count_tokens",
      clientHeaders: new Headers({ "anthropic-beta": "context-1m-2025-08-07" }),
      body: JSON.stringify({ model: "claude-sonnet-4-5-20250929", messages: [{ role: "user", content: "count AWS_EC2_001" }] }),
    });
    expect(counted.status).toBe(200);
    const inner = standIn.requests[0]!;
    expect(inner.bedrock.path).toBe("/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/count-tokens");
    expect(JSON.parse(inner.bodyText)).toEqual({ max_tokens: 1, messages: [{ role: "user", content: "count AWS_EC2_001" }], anthropic_version: "bedrock-2023-05-31", anthropic_beta: ["context-1m-2025-08-07"] });
    expect(JSON.parse(await text(counted.body))).toEqual({ input_tokens: Math.ceil(inner.bodyText.length / 4) });
    expect(standIn.refused).toEqual([]);
  });

  test("models are the mapped ones", async () => {
    const list = await client().send({ method: "get", path: "/v1/models", clientHeaders: new Headers() });
    expect(JSON.parse(await text(list.body)).data.map((m: { id: string }) => m.id)).toEqual(["claude-sonnet-4-5-20250929"]);
  });
});

describe("signatures", () => {
  test("a wrong secret key is refused by the stand-in, and the answer says whose credentials to fix", async () => {
    const response = await send(client({ ...STAND_IN_CREDENTIALS, secretAccessKey: "not-the-secret-at-all/000000000000000000" }), { model: "claude-sonnet-4-5-20250929", max_tokens: 1, messages: [] });
    expect(standIn.refused).toEqual(["signature does not match"]);
    expect(response.status).toBe(502);
    expect(response.headers.get("x-should-retry")).toBe("false");
    const body = JSON.parse(await text(response.body));
    expect(body.error.type).toBe("api_error");
    expect(body.error.message).toEndWith("(InvalidSignatureException). The proxy's AWS credentials or Bedrock API key were refused; the operator must fix them.");
  });

  test("a body changed after signing is refused (the signature covers it)", async () => {
    // What a man in the middle would do: same signed headers, other bytes.
    const tamper = (async (input: string | URL | Request, init?: RequestInit) => {
      const body = typeof init?.body === "string" ? init.body : new TextDecoder().decode(init?.body as Uint8Array);
      expect(body).toContain('"hi"');
      return fetch(input, { ...init, body: body.replace('"hi"', '"HI"') });
    }) as typeof fetch;
    const tampering = new BedrockUpstream({ region: STAND_IN_REGION, models, baseURL: standIn.url, credentials: async () => STAND_IN_CREDENTIALS, fetch: tamper });
    await send(tampering, { model: "claude-sonnet-4-5-20250929", max_tokens: 1, messages: [{ role: "user", content: "hi" }] });
    expect(standIn.refused).toEqual(["signature does not match"]);
    expect(standIn.requests.length).toBe(0);
  });
});

describe("Bedrock's errors in Anthropic's shape", () => {
  test.each([
    [429, "rate_limit_error", "ThrottlingException", null],
    [400, "invalid_request_error", "ValidationException", "false"],
    [403, "permission_error", "AccessDeniedException", "false"],
    [503, "overloaded_error", "ServiceUnavailableException", null],
  ] as const)("HTTP %d → %s", async (status, type, exception, retry) => {
    standIn.script(respond.error(status, "whatever", "the upstream's words"));
    const response = await send(client(), { model: "claude-sonnet-4-5-20250929", max_tokens: 1, messages: [] });
    expect(response.status).toBe(status);
    expect(response.headers.get("x-should-retry")).toBe(retry);
    expect(response.headers.get("request-id")).toBe("amzn-req-fixture");
    const body = JSON.parse(await text(response.body));
    expect(body.error.type).toBe(type);
    expect(body.error.message).toStartWith(`Amazon Bedrock: the upstream's words (${exception}).`);
  });

  test("no credentials anywhere → a 502 that tells the operator, not to be retried", async () => {
    const none = new BedrockUpstream({ region: STAND_IN_REGION, models, baseURL: standIn.url, credentials: async () => Promise.reject(new Error("Could not load credentials from any providers")) });
    const error = (await send(none, { model: "claude-sonnet-4-5-20250929", max_tokens: 1, messages: [] }).catch((e: unknown) => e)) as ProxyError;
    expect([error.status, error.headers["x-should-retry"]]).toEqual([502, "false"]);
    expect(error.message).toStartWith("The proxy found no AWS credentials for Amazon Bedrock.");
  });
});

describe("credentials and the model map", () => {
  test("credentials are resolved once, and again only near their expiry", async () => {
    let calls = 0;
    const soon = () => new Date(Date.now() + 60_000);
    const later = () => new Date(Date.now() + 3_600_000);
    let expiration = later();
    const cached = cachedCredentials(async () => ({ ...STAND_IN_CREDENTIALS, expiration: (calls++, expiration) }));
    await cached();
    await cached();
    expect(calls).toBe(1);
    expiration = soon();
    const fetched = await cached(); // still the first (valid an hour)
    expect(calls).toBe(1);
    expect(fetched.expiration!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  test("MODEL_MAP adds to the built-in table and rejects what is not a Bedrock ID", () => {
    const map = loadModelMap('{"m": "anthropic.claude-3-haiku-20240307-v1:0"}');
    expect(map.bedrockId("m")).toBe("anthropic.claude-3-haiku-20240307-v1:0");
    expect(map.bedrockId("claude-sonnet-4-5")).toBe("us.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(map.bedrockId("eu.anthropic.claude-sonnet-4-5-20250929-v1:0")).toBe("eu.anthropic.claude-sonnet-4-5-20250929-v1:0");
    expect(map.bedrockId("gpt-4")).toBeUndefined();
    expect(() => loadModelMap('{"m": "gpt-4"}')).toThrow('MODEL_MAP: "m" maps to "gpt-4", which is not a Bedrock model ID');
  });
});
