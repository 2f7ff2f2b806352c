/** The foundation's HTTP behaviour, driven in-process with app.handle(). */
import { describe, expect, test } from "bun:test";
import { loadConfig } from "../../src/config.ts";
import { createAuthenticator, type Authenticator } from "../../src/server/auth.ts";
import { createServices } from "../../src/server/services.ts";
import { tempDir } from "../helpers/proxy-process.ts";
import { createApp } from "../../src/server/app.ts";
import { readJsonObject } from "../../src/server/body.ts";
import { createLogger } from "../../src/log.ts";

const logLines: string[] = [];
const app = createApp({
  version: "9.9.9",
  keys: [
    { tenant: "acme", key: "key-acme-123" },
    { tenant: "globex", key: "key-globex-456" },
  ],
  logger: createLogger("debug", (line) => logLines.push(line)),
  maxBodyBytes: 64,
})
  // Test-only routes exercising the shared body reader and the catch-all error path.
  .post("/test/json", ({ request }) => readJsonObject(request, 64), { parse: "none" })
  .get("/test/boom", () => {
    throw new TypeError("cannot read AKIAIOSFODNN7EXAMPLE of undefined");
  });

const call = (path: string, init: RequestInit = {}) => app.handle(new Request(`http://localhost${path}`, init));
/** The test routes sit behind auth like every /v1 route. */
const callAuthed = (path: string, init: RequestInit = {}) =>
  call(path, { ...init, headers: { "x-api-key": "key-acme-123", ...(init.headers as Record<string, string>) } });

async function expectError(response: Response, status: number, type: string, message: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/json");
  expect(await response.json()).toEqual({ type: "error", error: { type, message } });
}

const MISSING = "Missing proxy key: send it as `x-api-key: KEY` or `Authorization: Bearer KEY` (ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN for Claude Code).";
const INVALID = "Invalid proxy key: use a key from PROXY_API_KEYS (not an Anthropic or other provider key).";

describe("auth", () => {
  test("no key → 401, and Claude Code is told not to retry", async () => {
    const response = await call("/v1/whoami");
    expect(response.headers.get("x-should-retry")).toBe("false");
    await expectError(response, 401, "authentication_error", MISSING);
  });

  test.each([
    ["wrong key", { "x-api-key": "key-acme-124" }],
    ["LiteLLM master key", { authorization: "Bearer sk-litellm-master-key" }],
    ["a prefix of a real key", { "x-api-key": "key-acme" }],
  ])("%s → 401", async (_name, headers) => {
    await expectError(await call("/v1/whoami", { headers }), 401, "authentication_error", INVALID);
  });

  test("a Basic Authorization header counts as no key, and the message names the accepted forms", async () => {
    const headers = { authorization: "Basic a2V5LWFjbWUtMTIz" };
    await expectError(await call("/v1/whoami", { headers }), 401, "authentication_error", MISSING);
  });

  test("both header styles resolve the key's tenant", async () => {
    expect(await (await call("/v1/whoami", { headers: { "x-api-key": "key-acme-123" } })).json()).toEqual({ tenant: "acme" });
    expect(await (await call("/v1/whoami", { headers: { authorization: "Bearer key-globex-456" } })).json()).toEqual({
      tenant: "globex",
    });
  });

  test("Claude Code sending both headers: a valid bearer wins over a non-proxy x-api-key", async () => {
    const response = await call("/v1/whoami", { headers: { authorization: "Bearer key-globex-456", "x-api-key": "sk-ant-real" } });
    expect(await response.json()).toEqual({ tenant: "globex" });
  });

  test("a valid key in the query string is refused: URLs end up in access logs", async () => {
    await expectError(
      await call("/v1/whoami?access_token=key-acme-123"),
      401,
      "authentication_error",
      "Credentials in the query string are refused (URLs end up in logs); send the proxy key in the x-api-key or Authorization header.",
    );
  });

  test("health needs no key and reveals only status and version", async () => {
    const response = await call("/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", version: "9.9.9" });
    expect(await (await call("/health/ready")).json()).toEqual({ status: "ready", version: "9.9.9" });
  });

  test("an authenticator without keys refuses to exist", () => {
    expect(() => createAuthenticator([])).toThrow("no proxy keys configured: set PROXY_API_KEYS or PROXY_API_KEYS_FILE");
  });
});

describe("errors keep the Anthropic shape and the server keeps serving", () => {
  test("unknown path → 404", async () => {
    const response = await call("/v2/complete");
    expect(response.headers.get("x-should-retry")).toBe("false");
    await expectError(
      response,
      404,
      "not_found_error",
      "No route for GET /v2/complete; this proxy serves /v1/messages, /v1/models, /v1/mask, /v1/unmask and /health.",
    );
  });

  test("known path, wrong method → 405 with Allow", async () => {
    const response = await call("/health", { method: "DELETE" });
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    await expectError(response, 405, "invalid_request_error", "DELETE is not supported on /health; use GET or HEAD.");
  });

  test("malformed JSON → 400 without quoting the body", async () => {
    const response = await callAuthed("/test/json", { method: "POST", body: '{"text": sk-ant-secret' });
    await expectError(response, 400, "invalid_request_error", "Request body is not valid JSON; send a JSON object.");
  });

  test("JSON that is not an object → 400", async () => {
    await expectError(await callAuthed("/test/json", { method: "POST", body: "[1,2]" }), 400, "invalid_request_error", "Request body must be a JSON object.");
  });

  test("invalid UTF-8 → 400", async () => {
    const body = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    await expectError(
      await callAuthed("/test/json", { method: "POST", body }),
      400,
      "invalid_request_error",
      "Request body is not valid UTF-8; send JSON encoded as UTF-8.",
    );
  });

  test("body over MAX_BODY_BYTES → 413, by declared length and by streamed length", async () => {
    const big = JSON.stringify({ text: "x".repeat(100) });
    const message = "Request body exceeds the proxy limit of 64 bytes; send a smaller request or raise MAX_BODY_BYTES.";
    await expectError(await callAuthed("/test/json", { method: "POST", body: big }), 413, "request_too_large", message);
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big.slice(0, 50)));
        controller.enqueue(new TextEncoder().encode(big.slice(50)));
        controller.close();
      },
    });
    await expectError(await callAuthed("/test/json", { method: "POST", body: chunked }), 413, "request_too_large", message);
  });

  test("an unexpected exception → 500 that leaks neither message nor stack", async () => {
    const response = await callAuthed("/test/boom");
    const requestId = response.headers.get("request-id")!;
    expect(requestId).toMatch(/^req_proxy_[0-9a-f]{32}$/);
    expect(response.headers.get("x-should-retry")).toBeNull();
    await expectError(response, 500, "api_error", `Internal proxy error; operators can find request ${requestId} in the proxy log.`);
    const logged = logLines.map((line) => JSON.parse(line)).find((entry) => entry.request_id === requestId);
    expect(logged).toMatchObject({ level: "error", msg: "request failed", status: 500, error: "TypeError" });
    expect(logLines.join("")).not.toContain("AKIAIOSFODNN7EXAMPLE");
  });

  test("after all of the above the server still answers", async () => {
    expect((await call("/health")).status).toBe(200);
    const ok = await callAuthed("/test/json", { method: "POST", body: '{"a":1}' });
    expect(await ok.json()).toEqual({ a: 1 });
  });

  test("HEAD / (Claude Code's connectivity probe) → 200", async () => {
    expect((await call("/", { method: "HEAD" })).status).toBe(200);
  });
});

describe("authentication runs once per request", () => {
  // Regression: an unnamed auth plugin mounted twice authenticated feature routes twice.
  test("on /v1/whoami and the feature routes, the authenticator is asked exactly once; /metrics never asks it", async () => {
    const loaded = loadConfig({ DATA_DIR: tempDir("cmp-app-"), ANTHROPIC_API_KEY: "sk-ant-test-000000000000", ANTHROPIC_UPSTREAM_URL: "http://127.0.0.1:9", PROXY_API_KEYS: "acme:key-acme-123" });
    if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
    const logger = createLogger("error", () => {});
    const services = await createServices(loaded.config, logger, () => "http://127.0.0.1:9");
    const real = createAuthenticator([{ tenant: "acme", key: "key-acme-123" }]);
    let calls = 0;
    const counting: Authenticator = {
      tenants: real.tenants,
      authenticate: (input) => {
        calls++;
        return real.authenticate(input);
      },
    };
    const metricsToken = "scraper-token-0123456789";
    const featureApp = createApp({ version: "t", keys: [], logger, maxBodyBytes: 1024, services: services.app, authenticator: counting, metricsToken });
    try {
      for (const [method, path, body] of [
        ["GET", "/v1/whoami"],
        ["POST", "/v1/mask", '{"text":"i-0a1b2c3d4e5f67890"}'],
      ] as const) {
        calls = 0;
        const response = await featureApp.handle(new Request(`http://localhost${path}`, { method, body, headers: { "x-api-key": "key-acme-123" } }));
        expect({ path, status: response.status, calls }).toEqual({ path, status: 200, calls: 1 });
      }
      // The scraper's own token, never a tenant's key (which can also make LLM calls).
      calls = 0;
      const scrape = (headers: Record<string, string>) => featureApp.handle(new Request("http://localhost/metrics", { headers }));
      expect((await scrape({ authorization: `Bearer ${metricsToken}` })).status).toBe(200);
      const withKey = await scrape({ authorization: "Bearer key-acme-123" });
      expect(withKey.status).toBe(401);
      expect(await withKey.json()).toEqual({ type: "error", error: { type: "authentication_error", message: "Invalid metrics token: send METRICS_TOKEN as `Authorization: Bearer TOKEN`." } });
      expect((await scrape({ "x-api-key": "key-acme-123" })).status).toBe(401);
      expect(calls).toBe(0);
      const off = createApp({ version: "t", keys: [], logger, maxBodyBytes: 1024, services: services.app, authenticator: counting });
      const refused = await off.handle(new Request("http://localhost/metrics", { headers: { authorization: "Bearer key-acme-123" } }));
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as any).error.message).toStartWith("Metrics are off: set METRICS_TOKEN on the proxy host");
    } finally {
      await services.close();
    }
  });
});
