import { describe, expect, test } from "bun:test";
import { loadConfig } from "../src/config.ts";
import { parseDuration, parseSize } from "../src/units.ts";
import { runCommand, SOURCE_CMD, tempDir } from "./helpers/proxy-process.ts";

describe("units", () => {
  test.each([
    ["7d", 604_800_000],
    ["10m", 600_000],
    ["90s", 90_000],
    ["250ms", 250],
    ["1.5h", 5_400_000],
  ])("duration %s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each([
    ["32MB", 33_554_432],
    ["512kb", 524_288],
    ["1GB", 1_073_741_824],
    ["1000", 1000],
  ])("size %s", (text, bytes) => expect(parseSize(text)).toBe(bytes));

  test.each(["7 weeks", "d", "-1s", "10"])("bad duration %p", (text) => expect(parseDuration(text)).toBeUndefined());
  test.each(["32 furlongs", "MB", "-3"])("bad size %p", (text) => expect(parseSize(text)).toBeUndefined());
});

describe("loadConfig", () => {
  test("defaults: localhost:8000, embedded store in ./data, 7d TTL, 32MB bodies, no secret defaults", () => {
    const result = loadConfig({}, { cwd: "/srv/app" });
    expect(result).toEqual({
      ok: true,
      config: {
        host: "127.0.0.1",
        port: 8000,
        proxyApiKeys: undefined,
        proxyApiKeysFile: undefined,
        anthropicApiKey: undefined,
        upstreamUrl: "https://api.anthropic.com",
        upstreamProvider: "anthropic",
        awsRegion: undefined,
        modelMap: undefined,
        bedrockBaseUrl: undefined,
        bedrockApiKey: undefined,
        vertexProjectId: undefined,
        vertexRegion: undefined,
        vertexBaseUrl: undefined,
        storeUrl: "sqlite:///srv/app/data/mappings.db",
        dataDir: "/srv/app/data",
        mappingTtlMs: 604_800_000,
        maskingSecret: undefined,
        patternsFile: undefined,
        arnMode: "parts",
        claudeBin: "claude",
        claudeWorkdirRoot: "/srv/app",
        claudeTimeoutMs: 600_000,
        claudeMaxConcurrency: 4,
        claudeMaxConcurrencyTotal: 16,
        claudeRunner: "auto",
        claudeIsolation: "bubblewrap",
        maxBodyBytes: 33_554_432,
        logLevel: "info",
      },
    });
  });

  test("every problem is listed once, with its fix, and secret values are never echoed", () => {
    const result = loadConfig(
      { PORT: "http", MAPPING_TTL: "forever", MASKING_SECRET: "hunter2", ARN_MODE: "split", LOG_LEVEL: "loud" },
      { requireUpstreamKey: true },
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        'PORT is invalid (got "http"): set PORT to a number between 1 and 65535, e.g. 8000 (0 picks a free port)',
        'MAPPING_TTL is invalid (got "forever"): use a duration such as 7d, 12h or 30m',
        "MASKING_SECRET is invalid: use at least 32 random characters, e.g. the output of `openssl rand -hex 32`",
        'ARN_MODE is invalid (got "split"): use parts or whole',
        'LOG_LEVEL is invalid (got "loud"): use debug, info, warn or error',
        "ANTHROPIC_API_KEY is missing: set it to the proxy's own upstream key (clients' keys are never forwarded)",
      ],
    });
    expect(JSON.stringify(result)).not.toContain("hunter2");
  });

  test("empty variables count as unset", () => {
    const result = loadConfig({ PORT: "", LOG_LEVEL: " " });
    expect(result.ok && result.config.port).toBe(8000);
  });

  test("a trailing slash on the upstream URL is dropped so paths join cleanly", () => {
    const result = loadConfig({ ANTHROPIC_UPSTREAM_URL: "http://127.0.0.1:4000/" });
    expect(result.ok && result.config.upstreamUrl).toBe("http://127.0.0.1:4000");
  });
});

test("serve with two invalid variables prints both problems and exits 1", async () => {
  const dir = tempDir();
  const { exitCode, stdout, stderr } = await runCommand([...SOURCE_CMD, "serve"], {
    env: { PATH: process.env.PATH!, DATA_DIR: dir, ANTHROPIC_API_KEY: "sk-test", PORT: "99999", MAX_BODY_BYTES: "lots" },
  });
  expect(exitCode).toBe(1);
  expect(stdout).toBe("");
  expect(stderr).toBe(
    [
      "Invalid configuration (2 problems):",
      '  - MAX_BODY_BYTES is invalid (got "lots"): use a size such as 32MB, 512KB or a number of bytes',
      '  - PORT is invalid (got "99999"): set PORT to a number between 1 and 65535, e.g. 8000 (0 picks a free port)',
      "",
    ].join("\n"),
  );
});
