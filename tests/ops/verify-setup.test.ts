/** `proxy verify-setup`: every check in its pass and fail state, with exit code and fix text. */
import { afterAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { CLAUDE_BIN } from "../helpers/claude-cli.ts";
import { ROOT, runCommand, tempDir } from "../helpers/proxy-process.ts";
import { freePort, startRedis, UNREACHABLE_REDIS_URL, type TestRedis } from "../helpers/redis.ts";

const upstream = await startScriptedUpstream();
const redisServers: TestRedis[] = [];
afterAll(async () => {
  await upstream.stop();
  for (const redis of redisServers) await redis.stop().catch(() => {});
});

async function verify(env: Record<string, string>, args: string[] = []) {
  const base = {
    PATH: process.env.PATH!,
    HOME: tempDir(),
    DATA_DIR: tempDir(),
    ANTHROPIC_API_KEY: "sk-ant-api03-verify-setup-test-key",
    ANTHROPIC_UPSTREAM_URL: upstream.url,
    PROXY_API_KEYS: "team-a:verify-key-aaaaaaaaaaaa,team-b:verify-key-bbbbbbbbbbbb",
    CLAUDE_BIN,
    CLAUDE_WORKDIR_ROOT: tempDir(),
    PORT: String(await freePort()),
  };
  return runCommand(["bun", join(ROOT, "src/main.ts"), "verify-setup", ...args], { env: { ...base, ...env } });
}

describe("verify-setup", () => {
  test("all good: every check passes, exit 0, and no key is printed", async () => {
    const { exitCode, stdout } = await verify({});
    expect(exitCode).toBe(0);
    expect(stdout).toContain("✓ configuration: every variable parses");
    expect(stdout).toContain("✓ proxy keys: 2 key(s) for tenant(s) team-a, team-b");
    expect(stdout).toContain("✓ ANTHROPIC_API_KEY: present and shaped like a key");
    expect(stdout).toContain(`✓ upstream: ${upstream.url} answered HTTP 200`);
    expect(stdout).toContain("✓ store round trip: write + read OK");
    expect(stdout).toMatch(/✓ claude CLI: .*2\.1\.328 \(Claude Code\)/);
    expect(stdout).toContain("is free");
    expect(stdout).toMatch(/✓ runner isolation: bubblewrap \d+\.\d+\.\d+: own filesystem, PID and user namespaces per run\n/);
    expect(stdout).toContain("Ready (0 warning(s)).");
    expect(stdout).not.toContain("verify-key-");
    expect(stdout).not.toContain("sk-ant-api03-verify");
  }, 30_000);

  test("--json gives the same checks for automation", async () => {
    const { exitCode, stdout } = await verify({}, ["--json", "--offline"]);
    expect(exitCode).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.ok).toBe(true);
    expect(report.checks.map((check: any) => check.name)).toEqual([
      "configuration",
      "DATA_DIR",
      "proxy keys",
      "ANTHROPIC_API_KEY",
      "mapping store",
      "store round trip",
      "MASKING_SECRET",
      "claude CLI",
      "listen address",
      "CLAUDE_WORKDIR_ROOT",
      "runner isolation",
    ]);
  }, 30_000);

  test("missing ANTHROPIC_API_KEY → ✗ with the fix, exit 1", async () => {
    const { exitCode, stdout } = await verify({ ANTHROPIC_API_KEY: "" }, ["--offline"]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain("✗ ANTHROPIC_API_KEY: missing\n    fix: set ANTHROPIC_API_KEY to the proxy's own upstream key (in the EnvironmentFile for systemd)");
    expect(stdout).toContain("1 check(s) failed; fix them and run `proxy verify-setup` again.");
  }, 30_000);

  test("missing claude binary → ✗ naming CLAUDE_BIN, exit 1", async () => {
    const { exitCode, stdout } = await verify({ CLAUDE_BIN: "/nonexistent/claude" }, ["--offline"]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain(
      "✗ claude CLI: CLAUDE_BIN /nonexistent/claude not found or not executable\n    fix: install Claude Code (npm install -g @anthropic-ai/claude-code) or set CLAUDE_BIN to its path",
    );
  }, 30_000);

  test("invalid configuration → every problem listed with its fix, exit 1", async () => {
    const { exitCode, stdout } = await verify({ MAPPING_TTL: "forever", ARN_MODE: "half" });
    expect(exitCode).toBe(1);
    expect(stdout).toContain("✗ configuration: 2 invalid variable(s)");
    expect(stdout).toContain('MAPPING_TTL is invalid (got "forever"): use a duration such as 7d, 12h or 30m');
    expect(stdout).toContain('ARN_MODE is invalid (got "half"): use parts or whole');
  }, 30_000);

  test("the port in use → ✗, exit 1", async () => {
    const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    try {
      const { exitCode, stdout } = await verify({ PORT: String(holder.port) }, ["--offline"]);
      expect(exitCode).toBe(1);
      expect(stdout).toContain(`✗ listen address: 127.0.0.1:${holder.port} is in use or not available`);
    } finally {
      holder.stop(true);
    }
  }, 30_000);

  test("runs without isolation are a warning that says what a run can read", async () => {
    const { exitCode, stdout } = await verify({ CLAUDE_ISOLATION: "unsafe-none" }, ["--offline"]);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(
      "! runner isolation: none: runs can read everything the proxy can (CLAUDE_ISOLATION=unsafe-none)\n    fix: install bubblewrap and unset CLAUDE_ISOLATION, so a run cannot read DATA_DIR, the keys or other processes\n",
    );
  }, 30_000);

  test("DATA_DIR inside CLAUDE_WORKDIR_ROOT → ✗ with the fix, exit 1", async () => {
    const root = tempDir();
    const { exitCode, stdout } = await verify({ CLAUDE_WORKDIR_ROOT: root, DATA_DIR: join(root, "data") }, ["--offline"]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain(
      `✗ CLAUDE_WORKDIR_ROOT: DATA_DIR (${root}/data) and CLAUDE_WORKDIR_ROOT (${root}) overlap\n    fix: a Claude Code run could read the proxy's keys and masking secret. Set CLAUDE_WORKDIR_ROOT to a directory of its own, e.g. /srv/claude-work, outside DATA_DIR.\n`,
    );
  }, 30_000);

  test("Redis down → ✗ with the fix, exit 1", async () => {
    const { exitCode, stdout } = await verify({ STORE_URL: UNREACHABLE_REDIS_URL, MASKING_SECRET: "x".repeat(40) }, ["--offline"]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain("✗ mapping store: redis store unreachable\n    fix: start Redis or fix STORE_URL (host, port, password, TLS via rediss://)");
  }, 30_000);

  test("Redis with an evicting policy and no persistence → ! warnings with fixes, exit 0", async () => {
    const redis = await startRedis({ extra: ["--maxmemory-policy", "allkeys-lru"] });
    redisServers.push(redis);
    const { exitCode, stdout } = await verify({ STORE_URL: redis.url, MASKING_SECRET: "x".repeat(40) }, ["--offline"]);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/✓ mapping store: redis 7\.\d+\.\d+ reachable/);
    expect(stdout).toContain(
      "! redis eviction policy: maxmemory-policy is allkeys-lru: evicted mappings mean answers that cannot be restored\n    fix: set `maxmemory-policy noeviction` in redis.conf (or CONFIG SET maxmemory-policy noeviction)",
    );
    expect(stdout).toContain("! redis persistence: neither AOF nor RDB is enabled: a Redis restart forgets every mapping");
  }, 30_000);

  test("a shared Redis store without MASKING_SECRET → ✗", async () => {
    const redis = await startRedis({ appendonly: true });
    redisServers.push(redis);
    const { exitCode, stdout } = await verify({ STORE_URL: redis.url }, ["--offline"]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain("✓ redis persistence: AOF");
    expect(stdout).toContain("✗ MASKING_SECRET: not set, but the store is shared (Redis)");
  }, 30_000);
});
