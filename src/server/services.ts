/** Builds the proxy's services from configuration; `serve` and the tests share it. */
import { loadModelMap, readModelMapSpec } from "../anthropic/model-map.ts";
import { Upstream, type UpstreamClient, type UpstreamOutcome } from "../anthropic/upstream.ts";
import { MessagesService } from "../proxy/messages-service.ts";
import { BodyHistory, MaskedTextCache } from "../proxy/reuse/index.ts";
import { StreamMemoryPolicy } from "../proxy/stream-memory.ts";
import { ThinkingCache } from "../proxy/thinking-cache.ts";
import type { Config } from "../config.ts";
import { createCore, type Core } from "../core.ts";
import type { Logger } from "../log.ts";
import { ClaudeRunner } from "../runner/claude-runner.ts";
import { RunnerService } from "../runner/runner-service.ts";
import { probeIsolation, type IsolationStatus } from "../runner/sandbox.ts";
import type { AppServices } from "./app.ts";
import { Metrics, catalogueTypes } from "./metrics.ts";
import { VERSION } from "../version.ts";
import { routeTemplate } from "./route-table.ts";
import { join } from "node:path";
import { mkdirSync } from "node:fs";

export interface Services {
  core: Core;
  app: AppServices;
  runner: ClaudeRunner;
  metrics: Metrics;
  close(): Promise<void>;
}

export async function createServices(config: Config, logger: Logger, proxyUrl: () => string): Promise<Services> {
  const metrics = new Metrics(VERSION);
  const core = await createCore(config, (operation, seconds, ok, cause) => {
    metrics.storeLatency.observe({ operation }, seconds);
    if (!ok) metrics.storeErrors.inc({ operation, cause: cause ?? "error" });
  });
  metrics.knowEntityTypes(catalogueTypes(core.masker.scanner.entries));
  const onOutcome = (outcome: UpstreamOutcome) => metrics.upstreamResponses.inc({ class: outcome });
  // The Bedrock routes' and the Bedrock upstream's model map (Vertex reads MODEL_MAP its own way).
  const models = config.upstreamProvider === "vertex" ? loadModelMap(undefined) : loadModelMap(config.modelMap);
  // The Bedrock client and the AWS SDK pieces it brings are loaded only for Bedrock (~10 MB resident).
  const upstream: UpstreamClient =
    config.upstreamProvider === "bedrock"
      ? new (await import("../anthropic/bedrock-upstream.ts")).BedrockUpstream({ region: config.awsRegion!, models, apiKey: config.bedrockApiKey, baseURL: config.bedrockBaseUrl, onOutcome })
      : config.upstreamProvider === "vertex"
        ? new (await import("../anthropic/vertex-upstream.ts")).VertexUpstream({
            region: config.vertexRegion!,
            projectId: config.vertexProjectId!,
            baseURL: config.vertexBaseUrl,
            models: config.modelMap ? readModelMapSpec(config.modelMap) : {},
            onOutcome,
          })
        : new Upstream({ baseURL: config.upstreamUrl, apiKey: config.anthropicApiKey ?? "", onOutcome });
  const trustMs = Math.min(config.mappingTtlMs / 4, 3_600_000);
  const messages = new MessagesService({
    masker: core.masker,
    store: core.store,
    upstream,
    syntax: core.syntax,
    restorePolicy: core.restorePolicy,
    thinking: new ThinkingCache(),
    streamMemory: new StreamMemoryPolicy(),
    onUpstreamLatency: (path, seconds) => metrics.upstreamLatency.observe({ route: routeTemplate(path.split("?")[0]!) }, seconds),
    // Both trusted for as long as the store cache trusts a mapping. Recent bodies (raw and
    // masked, ~0.5 MB per 200 KB conversation) make a re-sent history cost its new turn only;
    // longer strings help a message re-sent with other cache markers.
    history: new BodyHistory({ maxBytes: 48 * 1024 * 1024, maxAgeMs: trustMs }),
    maskedTexts: new MaskedTextCache({ maxChars: 8 * 1024 * 1024, maxAgeMs: trustMs }),
    logger,
    observer: metrics.maskingObserver,
  });
  const childHome = join(config.dataDir, "claude-home");
  mkdirSync(childHome, { recursive: true, mode: 0o700 });
  const isolation: IsolationStatus =
    config.claudeRunner === "off"
      ? { ready: false, mode: "bubblewrap", detail: "they are turned off on this proxy (CLAUDE_RUNNER=off)", fix: "set CLAUDE_RUNNER=auto to serve them" }
      : await probeIsolation(config.claudeIsolation);
  if (config.claudeRunner === "off") logger.info("Claude Code runs are off (CLAUDE_RUNNER=off)");
  else if (!isolation.ready) logger.warn("Claude Code runs are disabled: no isolation", { reason: isolation.detail, fix: isolation.fix });
  else if (isolation.mode === "unsafe-none") logger.warn("Claude Code runs are NOT isolated: they can read the proxy's keys and files (CLAUDE_ISOLATION=unsafe-none)");
  const runner = new ClaudeRunner({
    claudeBin: config.claudeBin,
    timeoutMs: config.claudeTimeoutMs,
    maxPerTenant: config.claudeMaxConcurrency,
    maxTotal: config.claudeMaxConcurrencyTotal,
    isolation,
    proxyUrl,
    childHome,
    logger,
  });
  metrics.runnerCount = () => runner.activeCount;
  return {
    core,
    runner,
    metrics,
    app: {
      messages,
      masker: core.masker,
      runner: new RunnerService(runner, config.claudeWorkdirRoot),
      metrics,
      models,
      upstreamIsBedrock: config.upstreamProvider === "bedrock",
      upstreamIsVertex: config.upstreamProvider === "vertex",
    },
    async close() {
      runner.killAll();
      await core.close();
    },
  };
}
