/**
 * /metrics after a known sequence of requests, and the promise that no secret ever shows up
 * in anything the proxy writes: its logs, its metrics, its store file, its error answers.
 */
import { afterAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { respond, startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { startProxy, tempDir } from "../helpers/proxy-process.ts";

const upstream = await startScriptedUpstream();
afterAll(() => upstream.stop());

const KEY = "metrics-key-0123456789";
const SCRAPER = { authorization: "Bearer scraper-token-0123456789abcdef" };
const SECRETS = {
  instance: "i-0feedfacecafe1234",
  accessKey: "AKIAZZZZLEAKTEST0001",
  secretKey: "zzzLeakTestSecretKey/0123456789abcdefABC",
  account: "987654321098",
  password: "Leak-Test-Password-77",
  ghToken: "ghp_LeakTestLeakTestLeakTestLeakTest0001",
};
const PROMPT = `instance ${SECRETS.instance} key ${SECRETS.accessKey} aws_secret_access_key=${SECRETS.secretKey} account ${SECRETS.account} DB_PASSWORD=${SECRETS.password} token ${SECRETS.ghToken}`;

function metric(text: string, name: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(name.length + 1));
}

test("counters after a known sequence; no secret in logs, metrics, store file or answers", async () => {
  const dataDir = tempDir();
  const proxy = await startProxy({
    env: { DATA_DIR: dataDir, ANTHROPIC_API_KEY: "sk-ant-test-0000000000", ANTHROPIC_UPSTREAM_URL: upstream.url, PROXY_API_KEYS: `ops:${KEY}`, METRICS_TOKEN: "scraper-token-0123456789abcdef", LOG_LEVEL: "debug" },
  });
  const headers = { "x-api-key": KEY, "content-type": "application/json" };
  const answers: string[] = [];
  const call = async (path: string, body: unknown, extra: Record<string, string> = headers) => {
    const response = await fetch(`${proxy.url}${path}`, { method: "POST", headers: extra, body: typeof body === "string" ? body : JSON.stringify(body) });
    answers.push(await response.text());
    return response.status;
  };

  // 1. JSON message: masks 6 values; the model answers with one known and one invented surrogate.
  upstream.script(respond.message({ content: [{ type: "text", text: "AWS_EC2_001 and AWS_EC2_042" }] }));
  expect(await call("/v1/messages", { model: "m", max_tokens: 5, messages: [{ role: "user", content: PROMPT }] })).toBe(200);
  // 2. The same conversation streamed.
  upstream.script(respond.stream({ content: [{ type: "text", text: "AWS_ACCESS_KEY_001 is active" }] }));
  expect(await call("/v1/messages", { model: "m", max_tokens: 5, stream: true, messages: [{ role: "user", content: PROMPT }] })).toBe(200);
  // 3. count_tokens, mask, unmask.
  expect(await call("/v1/messages/count_tokens", { model: "m", messages: [{ role: "user", content: PROMPT }] })).toBe(200);
  expect(await call("/v1/mask", { text: PROMPT })).toBe(200);
  expect(await call("/v1/unmask", { text: "AWS_EC2_001" })).toBe(200);
  // 4. Failures that quote secrets back to us.
  expect(await call("/v1/messages", `{"messages": [${SECRETS.password}`)).toBe(400);
  expect(await call("/v1/messages", { text: PROMPT }, { "x-api-key": SECRETS.ghToken, "content-type": "application/json" })).toBe(401);
  expect((await fetch(`${proxy.url}/v1/${SECRETS.accessKey}`, { headers })).status).toBe(404);

  const metricsResponse = await fetch(`${proxy.url}/metrics`, { headers: SCRAPER });
  expect(metricsResponse.status).toBe(200);
  const metrics = await metricsResponse.text();
  expect((await fetch(`${proxy.url}/metrics`)).status).toBe(401);
  // A tenant's key does not scrape.
  expect((await fetch(`${proxy.url}/metrics`, { headers })).status).toBe(401);
  // Process and runtime metrics, and the build.
  expect(metric(metrics, "process_resident_memory_bytes")! > 10_000_000).toBe(true);
  expect(metrics).toContain("nodejs_eventloop_lag_p99_seconds ");
  expect(metric(metrics, `cmp_build_info{version="${JSON.parse(readFileSync(join(import.meta.dir, "../../package.json"), "utf8")).version}",runtime="bun ${Bun.version}"}`)).toBe(1);

  expect(metric(metrics, 'cmp_http_requests_total{route="/v1/messages",status="200"}')).toBe(2);
  expect(metric(metrics, 'cmp_http_requests_total{route="/v1/messages",status="400"}')).toBe(1);
  expect(metric(metrics, 'cmp_http_requests_total{route="/v1/messages",status="401"}')).toBe(1);
  expect(metric(metrics, 'cmp_http_requests_total{route="/v1/messages/count_tokens",status="200"}')).toBe(1);
  expect(metric(metrics, 'cmp_http_requests_total{route="other",status="404"}')).toBe(1);
  expect(metric(metrics, 'cmp_entities_masked_total{type="ec2_instance"}')).toBe(3); // twice in messages, once in count_tokens
  expect(metric(metrics, 'cmp_entities_masked_total{type="aws_secret_access_key"}')).toBe(3);
  expect(metric(metrics, 'cmp_entities_masked_total{type="github_token"}')).toBe(3);
  expect(metric(metrics, "cmp_surrogates_restored_total")).toBe(2);
  expect(metric(metrics, "cmp_unknown_surrogates_total")).toBe(1);
  expect(metric(metrics, 'cmp_time_to_first_byte_seconds_count{route="/v1/messages"}')).toBe(4);
  expect(metric(metrics, "cmp_runner_processes_active")).toBe(0);
  expect(metric(metrics, 'cmp_upstream_latency_seconds_count{route="/v1/messages"}')).toBe(2);
  expect(metric(metrics, 'cmp_upstream_latency_seconds_count{route="/v1/messages/count_tokens"}')).toBe(1);
  expect(metric(metrics, 'cmp_upstream_responses_total{class="2xx"}')).toBe(3);
  expect(metric(metrics, 'cmp_upstream_responses_total{class="transport"}')).toBeUndefined();
  expect(metric(metrics, 'cmp_store_errors_total{operation="get_or_create"}') ?? 0).toBe(0);
  expect((metric(metrics, 'cmp_store_latency_seconds_count{operation="get_or_create"}') ?? 0) > 0).toBe(true);

  expect(await proxy.stop()).toBe(0);
  const logLines = proxy.output().trim().split("\n");
  const requestLogs = logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === "request");
  expect(requestLogs.length).toBe(11); // 8 calls, 3 scrapes
  expect(requestLogs[0]).toMatchObject({ tenant: "ops", route: "/v1/messages", status: 200, restored: 1, unknown_surrogates: 1 });
  // Both ids (ours, and the upstream's that the client also sees), the model, the stream flag, the upstream's status.
  expect(requestLogs[0]).toMatchObject({ model: "m", upstream_status: 200, upstream_request_id: "req_fixture_json" });
  expect(requestLogs[0].request_id).toStartWith("req_proxy_");
  expect(requestLogs[0].stream).toBeUndefined();
  expect(requestLogs[1]).toMatchObject({ model: "m", stream: true, upstream_status: 200, upstream_request_id: "req_fixture_sse" });
  expect(typeof requestLogs[1].upstream_ms).toBe("number");
  expect(typeof requestLogs[0].added_ms).toBe("number");
  expect(metric(metrics, 'cmp_added_latency_seconds_count{route="/v1/messages"}')).toBe(2);
  expect(metric(metrics, 'cmp_request_duration_seconds_count{route="/v1/messages"}')).toBe(4);
  expect(requestLogs[0].masked).toEqual({ ec2_instance: 1, aws_access_key_id: 1, aws_secret_access_key: 1, aws_account_id: 1, assigned_secret: 1, github_token: 1 });

  const storeBytes = readdirSync(dataDir)
    .filter((file) => file.startsWith("mappings.db"))
    .map((file) => readFileSync(join(dataDir, file)).toString("latin1"))
    .join("");
  const everything = [proxy.output(), metrics, storeBytes, ...answers.slice(5)].join("\n");
  for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
  expect(upstream.requests.map((r) => r.bodyText).join("\n")).not.toContain(SECRETS.instance);
}, 30_000);

test("memory hits, guard repairs and guard refusals are counted by type, with no value in /metrics", async () => {
  const password = "Mem0ry-Hit-Pass-1";
  const instance = "i-0feedfacecafe9999";
  const proxy = await startProxy({ env: { DATA_DIR: tempDir(), ANTHROPIC_API_KEY: "sk-ant-test-0000000000", ANTHROPIC_UPSTREAM_URL: upstream.url, PROXY_API_KEYS: `ops:${KEY}`, METRICS_TOKEN: "scraper-token-0123456789abcdef" } });
  try {
    const send = (body: unknown) =>
      fetch(`${proxy.url}/v1/messages`, { method: "POST", headers: { "x-api-key": KEY, "content-type": "application/json" }, body: JSON.stringify(body) });
    upstream.script(respond.message({ content: [{ type: "text", text: "ok" }] }), respond.message({ content: [{ type: "text", text: "ok" }] }));
    // Found by context, and repeated without it in the same request: the guard repairs the repeat.
    expect((await send({ model: "m", max_tokens: 5, messages: [{ role: "user", content: `DB_PASSWORD=${password}\nIs "${password}" strong?` }] })).status).toBe(200);
    // A new conversation without the context: only the tenant memory knows it.
    expect((await send({ model: "m", max_tokens: 5, messages: [{ role: "user", content: `remember ${password}?` }] })).status).toBe(200);
    // Copied into a field the proxy never masks: refused.
    expect((await send({ model: `m-${instance}`, max_tokens: 5, messages: [{ role: "user", content: `about ${instance}` }] })).status).toBe(500);
    const metrics = await (await fetch(`${proxy.url}/metrics`, { headers: SCRAPER })).text();
    expect(metric(metrics, 'cmp_guard_repairs_total{type="assigned_secret"}')).toBe(1);
    expect(metric(metrics, 'cmp_memory_hits_total{type="assigned_secret"}')).toBe(1);
    expect(metric(metrics, 'cmp_guard_refusals_total{type="ec2_instance"}')).toBe(1);
    expect(metrics).not.toContain('cmp_guard_repairs_total{type="ec2_instance"}');
    expect(metrics).not.toContain(password);
    expect(metrics).not.toContain(instance);
  } finally {
    await proxy.stop();
  }
}, 30_000);
