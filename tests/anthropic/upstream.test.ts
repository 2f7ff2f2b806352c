/**
 * The upstream client against the scripted upstream on loopback: which request headers leave,
 * which response headers come back, and how HTTP and transport failures are reported.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from "@anthropic-ai/sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { Upstream, forwardableResponseHeaders } from "../../src/anthropic/upstream.ts";
import { ProxyError, describeCause } from "../../src/errors.ts";
import { classifyNetworkFailure } from "../../src/network-failure.ts";
import { respond, startScriptedUpstream, type RecordedRequest, type ScriptedUpstream } from "../fixtures/scripted-upstream.ts";

const PROXY_KEY = "sk-ant-proxy-own-key-0000";

let upstream: ScriptedUpstream;
let client: Upstream;
beforeAll(async () => {
  upstream = await startScriptedUpstream();
  client = new Upstream({ baseURL: upstream.url, apiKey: PROXY_KEY });
});
afterAll(async () => {
  await upstream.stop();
});
beforeEach(() => upstream.reset());

/** The SDK's own x-stainless-* headers carry the host's OS/arch/runtime: checked by name, not value. */
function splitStainless(headers: Record<string, string>) {
  const stainless: Record<string, string> = {};
  const rest: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) (name.startsWith("x-stainless-") ? stainless : rest)[name] = value;
  return { stainless, rest };
}

const STAINLESS_NAMES = [
  "x-stainless-arch",
  "x-stainless-lang",
  "x-stainless-os",
  "x-stainless-package-version",
  "x-stainless-retry-count",
  "x-stainless-runtime",
  "x-stainless-runtime-version",
  "x-stainless-timeout",
];

const host = () => new URL(upstream.url).host;
const only = (): RecordedRequest => {
  expect(upstream.requests.length).toBe(1);
  return upstream.requests[0]!;
};
const textOf = (body: ReadableStream<Uint8Array> | null) => new Response(body).text();

describe("request headers", () => {
  test("only anthropic-* client headers leave; the client's credentials are replaced by the proxy key", async () => {
    const response = await client.send({
      method: "post",
      path: "/v1/messages",
      clientHeaders: new Headers({
        "anthropic-beta": "context-management-2025-06-27",
        "anthropic-version": "2023-06-01",
        authorization: "Bearer client-secret-bearer",
        "x-api-key": "client-secret-key",
        "user-agent": "claude-cli/9.9.9",
        "x-forwarded-for": "10.0.0.1",
        cookie: "session=abc",
      }),
      body: '{"model":"m"}',
    });
    expect(response.status).toBe(200);
    await textOf(response.body);
    const { stainless, rest } = splitStainless(only().headers);
    expect(rest).toEqual({
      accept: "application/json",
      "accept-encoding": "gzip, deflate, br, zstd",
      "anthropic-beta": "context-management-2025-06-27",
      "anthropic-version": "2023-06-01",
      // The SDK's own Bearer carries the proxy key too; the client's never leaves.
      authorization: `Bearer ${PROXY_KEY}`,
      connection: "keep-alive",
      "content-length": "13",
      "content-type": "application/json",
      host: host(),
      "user-agent": "Anthropic/JS 1.13.0",
      "x-api-key": PROXY_KEY,
    });
    expect(Object.keys(stainless).sort()).toEqual(STAINLESS_NAMES);
    // One attempt only: retries are the client's job.
    expect(stainless["x-stainless-retry-count"]).toBe("0");
    expect(stainless["x-stainless-timeout"]).toBe("600");
    expect(JSON.stringify(only().headers)).not.toContain("client-secret");
  });

  test("no body → no content-type (GET)", async () => {
    const response = await client.send({ method: "get", path: "/v1/models", clientHeaders: new Headers({ "anthropic-version": "2023-06-01" }) });
    expect(response.status).toBe(200);
    await textOf(response.body);
    const { rest } = splitStainless(only().headers);
    expect(rest).toEqual({
      accept: "application/json",
      "accept-encoding": "gzip, deflate, br, zstd",
      "anthropic-version": "2023-06-01",
      authorization: `Bearer ${PROXY_KEY}`,
      connection: "keep-alive",
      host: host(),
      "user-agent": "Anthropic/JS 1.13.0",
      "x-api-key": PROXY_KEY,
    });
    expect(only().method).toBe("GET");
    expect(only().bodyText).toBe("");
  });

  test("a body → content-type application/json, whatever the client sent", async () => {
    const response = await client.send({
      method: "post",
      path: "/v1/messages/count_tokens",
      clientHeaders: new Headers({ "content-type": "text/plain" }),
      body: "{}",
    });
    expect(response.status).toBe(200);
    await textOf(response.body);
    expect(only().headers["content-type"]).toBe("application/json");
  });
});

describe("request body and path", () => {
  test("a string body arrives byte for byte (whitespace, escapes, non-ASCII kept)", async () => {
    const body = '{ "model" : "m",\n  "text": "caf\\u00e9 € 한글 \\"q\\"" }';
    const response = await client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body });
    await textOf(response.body);
    expect(only().bodyText).toBe(body);
    expect(only().headers["content-length"]).toBe(String(new TextEncoder().encode(body).byteLength));
  });

  test("a Uint8Array body arrives byte for byte", async () => {
    const bytes = new Uint8Array([0x7b, 0x22, 0xe2, 0x82, 0xac, 0x22, 0x3a, 0x20, 0x31, 0x7d]); // {"€": 1}
    const response = await client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: bytes });
    await textOf(response.body);
    expect(only().headers["content-length"]).toBe("10");
    expect(new TextEncoder().encode(only().bodyText)).toEqual(bytes);
  });

  test("the query string is kept", async () => {
    const response = await client.send({ method: "post", path: "/v1/messages?beta=true", clientHeaders: new Headers(), body: "{}" });
    await textOf(response.body);
    expect(only().path).toBe("/v1/messages?beta=true");
  });
});

describe("response", () => {
  test("headers are filtered to request-id, retry-after, x-should-retry, content-type and anthropic-*", async () => {
    upstream.script(
      respond.json({ ok: true }, 200, {
        "anthropic-ratelimit-requests-remaining": "41",
        "retry-after": "3",
        "x-should-retry": "true",
        "set-cookie": "session=abc",
        "x-envoy-upstream-service-time": "12",
        via: "1.1 gateway",
      }),
    );
    const response = await client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" });
    expect(response.status).toBe(200);
    expect(Object.fromEntries(response.headers)).toEqual({
      "anthropic-ratelimit-requests-remaining": "41",
      "content-type": "application/json;charset=utf-8",
      "request-id": "req_fixture_json",
      "retry-after": "3",
      "x-should-retry": "true",
    });
    expect(await textOf(response.body)).toBe('{"ok":true}');
  });

  test("the body bytes come back unchanged, even when not UTF-8", async () => {
    upstream.script(() => new Response(new Uint8Array([0xff, 0x00, 0xfe]), { status: 200 }));
    const response = await client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" });
    expect(new Uint8Array(await new Response(response.body).arrayBuffer())).toEqual(new Uint8Array([0xff, 0x00, 0xfe]));
  });

  test("forwardableResponseHeaders keeps exactly the allow-listed names", () => {
    const from = new Headers({
      "request-id": "req_1",
      "retry-after": "9",
      "x-should-retry": "false",
      "content-type": "text/event-stream",
      "anthropic-organization-id": "org",
      "set-cookie": "a=b",
      "content-length": "5",
      "x-request-id": "nope",
      "anthropicx-fake": "nope",
    });
    expect(Object.fromEntries(forwardableResponseHeaders(from))).toEqual({
      "anthropic-organization-id": "org",
      "content-type": "text/event-stream",
      "request-id": "req_1",
      "retry-after": "9",
      "x-should-retry": "false",
    });
  });
});

describe("the upstream refuses the proxy's own key", () => {
  test("401 → a 502 naming the operator's fix, not to be retried, keeping the upstream's error as cause", async () => {
    const outcomes: string[] = [];
    const counted = new Upstream({ baseURL: upstream.url, apiKey: PROXY_KEY, onOutcome: (outcome) => outcomes.push(outcome) });
    upstream.script(respond.error(401, "authentication_error", "invalid x-api-key"));
    const error = (await counted.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" }).catch((e: unknown) => e)) as ProxyError;
    expect(error).toBeInstanceOf(ProxyError);
    expect(error.status).toBe(502);
    expect(error.errorType).toBe("api_error");
    expect(error.message).toBe(
      "The proxy's upstream key was refused (the upstream answered HTTP 401); your own key is fine. The operator must fix ANTHROPIC_API_KEY on the proxy host.",
    );
    expect(error.headers).toEqual({ "x-should-retry": "false" });
    expect((error.cause as { status?: number }).status).toBe(401);
    expect((error.cause as { headers?: Headers }).headers?.get("request-id")).toBe("req_fixture_json");
    expect(outcomes).toEqual(["4xx"]);
  });

  test("403 (the key lacks a permission) is passed on as the upstream wrote it", async () => {
    upstream.script(respond.error(403, "permission_error", "Your API key does not have permission to use the specified resource."));
    const response = await client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" });
    expect(response.status).toBe(403);
    expect(await textOf(response.body)).toContain('"permission_error"');
  });
});

describe("upstream HTTP errors come back as responses", () => {
  test("429 with an Anthropic error body: same status, body and filtered headers", async () => {
    upstream.script(respond.error(429, "rate_limit_error", "Number of requests has exceeded your rate limit.", { "retry-after": "7", "set-cookie": "x=y" }));
    const response = await client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" });
    expect(response.status).toBe(429);
    expect(Object.fromEntries(response.headers)).toEqual({
      "content-type": "application/json",
      "request-id": "req_fixture_json",
      "retry-after": "7",
    });
    expect(await textOf(response.body)).toBe(
      '{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit."},"request_id":"req_fixture_err"}',
    );
  });

  test("an error status with a non-JSON body gets the generic error body", async () => {
    upstream.script(() => new Response("<html>bad gateway</html>", { status: 502, headers: { "request-id": "req_html", "content-type": "text/html" } }));
    const response = await client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" });
    expect(response.status).toBe(502);
    expect(Object.fromEntries(response.headers)).toEqual({ "content-type": "application/json", "request-id": "req_html" });
    expect(await textOf(response.body)).toBe(
      '{"type":"error","error":{"type":"api_error","message":"Upstream returned HTTP 502 without an error body."}}',
    );
  });

  test("an error status with an empty body gets the generic error body", async () => {
    upstream.script(() => new Response(null, { status: 503 }));
    const response = await client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" });
    expect(response.status).toBe(503);
    expect(Object.fromEntries(response.headers)).toEqual({ "content-type": "application/json" });
    expect(await textOf(response.body)).toBe(
      '{"type":"error","error":{"type":"api_error","message":"Upstream returned HTTP 503 without an error body."}}',
    );
  });
});

describe("transport failures", () => {
  test("a refused connection → ProxyError 502 with the connection error as cause", async () => {
    // A port that was just free: nothing listens on it any more.
    const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    const port = probe.port;
    await probe.stop(true);
    const dead = new Upstream({ baseURL: `http://127.0.0.1:${port}`, apiKey: PROXY_KEY });
    const error = await dead.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProxyError);
    const proxyError = error as ProxyError;
    expect(proxyError.status).toBe(502);
    expect(proxyError.errorType).toBe("api_error");
    // A refused connection stays refused: Claude Code is told not to retry for minutes.
    expect(proxyError.message).toBe(
      "The proxy cannot reach its upstream API: the connection was refused. Retrying will not help; the operator must fix ANTHROPIC_UPSTREAM_URL or the network of the proxy host.",
    );
    expect(proxyError.headers).toEqual({ "x-should-retry": "false" });
    expect(proxyError.cause).toBeInstanceOf(APIConnectionError);
    expect((proxyError.cause as Error).message).toBe("Connection error.");
    expect(describeCause(proxyError)).toContain("(ECONNREFUSED)");
  });

  test("a name that does not resolve → 502 that says so, not to be retried", async () => {
    const outcomes: string[] = [];
    const dead = new Upstream({ baseURL: "http://upstream.does-not-exist.invalid", apiKey: PROXY_KEY, onOutcome: (outcome) => outcomes.push(outcome) });
    const error = (await dead.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" }).catch((e: unknown) => e)) as ProxyError;
    expect(error.status).toBe(502);
    expect(error.message).toBe(
      "The proxy cannot reach its upstream API: its name does not resolve. Retrying will not help; the operator must fix ANTHROPIC_UPSTREAM_URL or the network of the proxy host.",
    );
    expect(error.headers).toEqual({ "x-should-retry": "false" });
    expect(classifyNetworkFailure(error)).toEqual({ kind: "dns", code: "ENOTFOUND", retryable: false });
    expect(outcomes).toEqual(["transport"]);
  });

  test("https:// to a server that speaks plain HTTP → a TLS failure, not to be retried", async () => {
    const plain = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    try {
      const wrong = new Upstream({ baseURL: `https://127.0.0.1:${plain.port}`, apiKey: PROXY_KEY });
      const error = (await wrong.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" }).catch((e: unknown) => e)) as ProxyError;
      expect(error.status).toBe(502);
      expect(error.message).toStartWith("The proxy cannot reach its upstream API: the TLS handshake failed.");
      expect(error.headers).toEqual({ "x-should-retry": "false" });
      expect(classifyNetworkFailure(error).kind).toBe("tls");
    } finally {
      await plain.stop(true);
    }
  });

  test("a signal aborted before sending rejects with APIUserAbortError and sends nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const sent = client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}", signal: controller.signal });
    await expect(sent).rejects.toBeInstanceOf(APIUserAbortError);
    expect(upstream.requests.length).toBe(0);
  });

  test("aborting while the upstream stalls rejects with APIUserAbortError and cancels the upstream request", async () => {
    let upstreamAborted = false;
    upstream.script(respond.stall(() => (upstreamAborted = true)));
    const controller = new AbortController();
    const sent = client.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}", signal: controller.signal });
    for (let i = 0; i < 400 && upstream.requests.length === 0; i++) await Bun.sleep(5);
    expect(upstream.requests.length).toBe(1);
    controller.abort();
    await expect(sent).rejects.toBeInstanceOf(APIUserAbortError);
    for (let i = 0; i < 400 && !upstreamAborted; i++) await Bun.sleep(5);
    expect(upstreamAborted).toBe(true);
  });

  test("a stalled upstream past timeoutMs → ProxyError 504 with the timeout as cause", async () => {
    upstream.script(respond.stall());
    const slow = new Upstream({ baseURL: upstream.url, apiKey: PROXY_KEY, timeoutMs: 150 });
    const error = await slow.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(), body: "{}" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ProxyError);
    const proxyError = error as ProxyError;
    expect(proxyError.status).toBe(504);
    expect(proxyError.errorType).toBe("api_error");
    expect(proxyError.message).toBe("The upstream did not answer in time; retry, or check ANTHROPIC_UPSTREAM_URL.");
    expect(proxyError.cause).toBeInstanceOf(APIConnectionTimeoutError);
    expect((proxyError.cause as Error).message).toBe("Request timed out.");
  });
});
