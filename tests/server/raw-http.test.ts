/**
 * Regression: "GET over HTTP/1.0 without a Host header returns Bun's 124 KB HTML debug page with
 * the cwd and source lines; a Host header shorter than 4 characters breaks routing". Raw bytes
 * over TCP to the real `claude-masking-proxy serve` process (NODE_ENV=development, to prove Bun's debug page is
 * off anyway): every request gets its normal answer or an Anthropic-shaped error, whatever its
 * Host header or HTTP version.
 */
import { afterAll, expect, test } from "bun:test";
import { connect } from "node:net";
import { VERSION } from "../../src/version.ts";
import { startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { ROOT, startProxy, tempDir } from "../helpers/proxy-process.ts";

const KEY = "raw-http-key-0123456789";
const upstream = await startScriptedUpstream();
const proxy = await startProxy({
  env: {
    DATA_DIR: tempDir(),
    ANTHROPIC_API_KEY: "sk-ant-test-0000000000",
    ANTHROPIC_UPSTREAM_URL: upstream.url,
    PROXY_API_KEYS: `raw:${KEY}`,
    NODE_ENV: "development",
  },
});
afterAll(async () => {
  expect(await proxy.stop()).toBe(0);
  await upstream.stop();
});
const port = Number(new URL(proxy.url).port);

interface RawResponse {
  statusLine: string;
  headers: Record<string, string>;
  body: string;
  raw: string;
}

/** Sends `request` byte for byte and reads until the server closes the connection. */
function rawRequest(request: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(request));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const split = raw.indexOf("\r\n\r\n");
      const [statusLine, ...lines] = raw.slice(0, split).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ statusLine: statusLine!, headers, body: raw.slice(split + 4), raw });
    });
  });
}

const HEALTH = { status: "ok", version: VERSION };
const everything: string[] = [];

async function expectJson(request: string, statusLine: string, body: unknown) {
  const response = await rawRequest(request);
  everything.push(response.raw);
  expect(response.statusLine).toBe(statusLine);
  expect(response.headers["content-type"]).toStartWith("application/json");
  expect(JSON.parse(response.body)).toEqual(body);
  return response;
}

test.each([
  ["HTTP/1.0 without a Host header", "GET /health HTTP/1.0\r\n\r\n"],
  ["a 1-character Host", "GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"],
  ["a 2-character Host", "GET /health HTTP/1.1\r\nHost: ab\r\nConnection: close\r\n\r\n"],
  ["a 3-character Host", "GET /health HTTP/1.1\r\nHost: abc\r\nConnection: close\r\n\r\n"],
  ["an empty Host", "GET /health HTTP/1.1\r\nHost:\r\nConnection: close\r\n\r\n"],
  ["a Host with a port only", "GET /health HTTP/1.1\r\nHost: :80\r\nConnection: close\r\n\r\n"],
  ["an absolute-form request line", "GET http://x/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"],
  ["HTTP/1.0 with a query string", "GET /health?probe=1 HTTP/1.0\r\n\r\n"],
])("GET /health with %s → 200 and the health answer", async (_name, request) => {
  await expectJson(request, "HTTP/1.1 200 OK", HEALTH);
});

test.each([
  ["HTTP/1.0 without a Host header", "HTTP/1.0", ""],
  ["a 1-character Host", "HTTP/1.1", "Host: a\r\nConnection: close\r\n"],
  ["an empty Host", "HTTP/1.1", "Host:\r\nConnection: close\r\n"],
])("POST /v1/messages/count_tokens with %s reaches its route and is masked", async (_name, version, host) => {
  upstream.reset();
  const body = JSON.stringify({ model: "claude-x", messages: [{ role: "user", content: "why is i-0a1b2c3d4e5f67890 slow?" }] });
  const request = `POST /v1/messages/count_tokens ${version}\r\n${host}x-api-key: ${KEY}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
  const masked = JSON.stringify({ model: "claude-x", messages: [{ role: "user", content: "why is AWS_EC2_001 slow?" }] });
  await expectJson(request, "HTTP/1.1 200 OK", { input_tokens: Math.ceil(masked.length / 4) });
  expect(upstream.requests.map((r) => [r.method, r.path, r.bodyText])).toEqual([["POST", "/v1/messages/count_tokens", masked]]);
});

test("a route behind auth with a 1-character Host → the Anthropic 401, not a 404", async () => {
  await expectJson("GET /v1/whoami HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", "HTTP/1.1 401 Unauthorized", {
    type: "error",
    error: {
      type: "authentication_error",
      message: "Missing proxy key: send it as `x-api-key: KEY` or `Authorization: Bearer KEY` (ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN for Claude Code).",
    },
  });
  await expectJson(`GET /v1/whoami HTTP/1.0\r\nx-api-key: ${KEY}\r\n\r\n`, "HTTP/1.1 200 OK", { tenant: "raw" });
});

test("an unknown path over HTTP/1.0 without a Host → the Anthropic 404; a wrong method → 405", async () => {
  const notFound = await expectJson("GET /nope HTTP/1.0\r\n\r\n", "HTTP/1.1 404 Not Found", {
    type: "error",
    error: { type: "not_found_error", message: "No route for GET /nope; this proxy serves /v1/messages, /v1/models, /v1/mask, /v1/unmask and /health." },
  });
  expect(notFound.headers["x-should-retry"]).toBe("false");
  expect(notFound.headers["request-id"]).toMatch(/^req_proxy_[0-9a-f]{32}$/);
  const wrongMethod = await expectJson("DELETE /v1/messages HTTP/1.1\r\nHost: ab\r\nConnection: close\r\n\r\n", "HTTP/1.1 405 Method Not Allowed", {
    type: "error",
    error: { type: "invalid_request_error", message: "DELETE is not supported on /v1/messages; use POST." },
  });
  expect(wrongMethod.headers.allow).toBe("POST");
});

test("no answer is Bun's HTML page or names the source tree; each request is logged with its route", async () => {
  expect(everything.length).toBe(15);
  for (const raw of everything) {
    expect(raw.toLowerCase()).not.toContain("<html");
    expect(raw).not.toContain(ROOT);
  }
  const entries = proxy
    .output()
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  expect(entries.filter((entry) => entry.level === "error")).toEqual([]);
  const routes = entries.filter((entry) => entry.msg === "request").map((entry) => `${entry.method} ${entry.route} ${entry.status}`);
  expect(routes).toEqual([
    ...new Array(8).fill("GET /health 200"),
    ...new Array(3).fill("POST /v1/messages/count_tokens 200"),
    "GET /v1/whoami 401",
    "GET /v1/whoami 200",
    "GET other 404",
    "DELETE /v1/messages 405",
  ]);
});
