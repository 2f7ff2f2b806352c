/**
 * The whole proxy in this process on a real socket (Bun.serve, port 0), configured like
 * `serve` would be, with its own temp DATA_DIR (SQLite store) unless a STORE_URL is given.
 */
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/log.ts";
import { createApp } from "../../src/server/app.ts";
import { instrument, lastResortHandler } from "../../src/server/telemetry.ts";
import { createServices, type Services } from "../../src/server/services.ts";
import { tempDir } from "./proxy-process.ts";

export interface TestProxy {
  url: string;
  /** Tenant `acme`'s key; `otherKey` belongs to tenant `globex`. */
  key: string;
  otherKey: string;
  services: Services;
  logs: string[];
  stop(): Promise<void>;
}

/** The scraper's token of every test proxy (GET /metrics takes no proxy key). */
export const TEST_METRICS_TOKEN = "test-metrics-token-0123456789";

export async function startTestProxy(options: { upstreamUrl: string; env?: Record<string, string> }): Promise<TestProxy> {
  const key = "test-key-acme-0123456789";
  const otherKey = "test-key-globex-9876543210";
  const loaded = loadConfig({
    DATA_DIR: tempDir("cmp-proxy-"),
    ANTHROPIC_API_KEY: "sk-ant-upstream-test-key-000000",
    ANTHROPIC_UPSTREAM_URL: options.upstreamUrl,
    PROXY_API_KEYS: `acme:${key},globex:${otherKey}`,
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    LOG_LEVEL: "debug",
    ...options.env,
  });
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  const logs: string[] = [];
  const logger = createLogger("debug", (line) => logs.push(line));
  let port = 0;
  const services = await createServices(loaded.config, logger, () => `http://127.0.0.1:${port}`);
  const app = createApp({
    version: "test",
    keys: [
      { tenant: "acme", key },
      { tenant: "globex", key: otherKey },
    ],
    logger,
    maxBodyBytes: loaded.config.maxBodyBytes,
    store: services.core.store,
    services: services.app,
    metricsToken: loaded.config.metricsToken,
  });
  const fetch = instrument((request) => app.handle(request), { logger, metrics: services.metrics });
  // As serve.ts configures it: never Bun's debug page, a last-resort Anthropic-shaped 500.
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 60, fetch, error: lastResortHandler(logger), development: false });
  port = server.port!;
  return {
    url: `http://127.0.0.1:${server.port}`,
    key,
    otherKey,
    services,
    logs,
    async stop() {
      await server.stop(true);
      await services.close();
    },
  };
}

/** The tenant's masked form of `text` via /v1/mask (the same store and mapping as /v1/messages). */
export async function maskedViaProxy(proxy: Pick<TestProxy, "url" | "key">, text: string, key = proxy.key): Promise<string> {
  const response = await fetch(`${proxy.url}/v1/mask`, {
    method: "POST",
    headers: { "x-api-key": key, "content-type": "application/json" },
    body: JSON.stringify({ text }),
  });
  return ((await response.json()) as { text: string }).text;
}
