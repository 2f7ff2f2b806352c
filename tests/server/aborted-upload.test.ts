/**
 * Regression: "every aborted upload logs an error line (3,000 lines for 3,000 drops)". A client
 * that sends part of its body and closes the connection is no failure of the proxy: one debug
 * line per drop and the usual request line (outcome "aborted"), never an error line.
 */
import { afterAll, expect, test } from "bun:test";
import { connect } from "node:net";
import { startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { startTestProxy, TEST_METRICS_TOKEN } from "../helpers/test-proxy.ts";

const upstream = await startScriptedUpstream();
const proxy = await startTestProxy({ upstreamUrl: upstream.url });
afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});
const port = Number(new URL(proxy.url).port);

/**
 * Sends the head with `Expect: 100-continue`, waits for the proxy's "100 Continue" (the request
 * has reached the app), sends part of the body and closes the connection.
 */
function dropUpload(head: string, partialBody: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(`${head}expect: 100-continue\r\n\r\n`));
    socket.once("data", (chunk) => {
      if (!chunk.toString().startsWith("HTTP/1.1 100 Continue")) reject(new Error(`unexpected answer: ${chunk}`));
      socket.write(partialBody, () => socket.destroy());
    });
    socket.on("error", reject);
    socket.on("close", () => resolve());
  });
}

const headers = `host: localhost\r\nx-api-key: ${proxy.key}\r\ncontent-type: application/json\r\n`;
const SECRET = "i-0a1b2c3d4e5f67890";
const PARTIAL = `{"model":"claude-x","max_tokens":5,"messages":[{"role":"user","content":"why is ${SECRET}`;
const DROPS = [
  { route: "/v1/messages", head: `POST /v1/messages HTTP/1.1\r\n${headers}content-length: 4000\r\n`, body: PARTIAL },
  { route: "/v1/messages", head: `POST /v1/messages HTTP/1.1\r\n${headers}content-length: 4000\r\n`, body: PARTIAL },
  { route: "/v1/messages", head: `POST /v1/messages HTTP/1.1\r\n${headers}transfer-encoding: chunked\r\n`, body: `${PARTIAL.length.toString(16)}\r\n${PARTIAL}\r\n` },
  { route: "/v1/messages/count_tokens", head: `POST /v1/messages/count_tokens HTTP/1.1\r\n${headers}content-length: 4000\r\n`, body: PARTIAL },
  { route: "/v1/mask", head: `POST /v1/mask HTTP/1.1\r\n${headers}content-length: 4000\r\n`, body: `{"text":"${SECRET}` },
  { route: "/v1/claude-code", head: `POST /v1/claude-code HTTP/1.1\r\n${headers}transfer-encoding: chunked\r\n`, body: `5\r\n{"pro\r\n` },
];

/** The lines logged since the test began (start-up may log its own). */
let since = 0;
const entries = () => proxy.logs.slice(since).map((line) => JSON.parse(line));

test("dropped uploads: one debug line each, the request line says aborted, no error line, nothing forwarded", async () => {
  since = proxy.logs.length;
  for (const drop of DROPS) await dropUpload(drop.head, drop.body);
  // The proxy notices each drop when it next reads the body: wait for the request lines.
  const deadline = Date.now() + 20_000;
  while (entries().filter((entry) => entry.msg === "request").length < DROPS.length) {
    if (Date.now() > deadline) throw new Error(`only these lines were logged:\n${proxy.logs.join("")}`);
    await Bun.sleep(20);
  }

  const all = entries();
  expect(all.filter((entry) => entry.level === "error" || entry.level === "warn")).toEqual([]);
  const requests = all.filter((entry) => entry.msg === "request");
  expect(requests.map(({ route, status, outcome, tenant, level }) => ({ route, status, outcome, tenant, level }))).toEqual(
    DROPS.map(({ route }) => ({ route, status: 400, outcome: "aborted", tenant: "acme", level: "info" })),
  );
  for (const request of requests) {
    const debug = all.filter((entry) => entry.request_id === request.request_id && entry.level === "debug");
    expect(debug).toEqual([
      { time: debug[0]!.time, level: "debug", msg: "client closed the connection before the answer", request_id: request.request_id, error: "AbortError" },
    ]);
  }
  expect(all.length).toBe(DROPS.length * 2);
  expect(proxy.logs.join("")).not.toContain(SECRET);
  expect(upstream.requests).toEqual([]);

  const metrics = await (await fetch(`${proxy.url}/metrics`, { headers: { authorization: `Bearer ${TEST_METRICS_TOKEN}` } })).text();
  expect(metrics).toContain('cmp_http_requests_total{route="/v1/messages",status="400"} 3\n');
  expect(metrics).toContain('cmp_http_requests_total{route="/v1/messages/count_tokens",status="400"} 1\n');
  expect(metrics).toContain('cmp_http_requests_total{route="/v1/mask",status="400"} 1\n');
  expect(metrics).toContain('cmp_http_requests_total{route="/v1/claude-code",status="400"} 1\n');
  expect(metrics).not.toContain('status="500"');
}, 30_000);
