/** `claude-masking-proxy verify-setup`: every check in its pass and fail state, with exit code and fix text. */
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startScriptedUpstream } from "../fixtures/scripted-upstream.ts";
import { STAND_IN_CREDENTIALS, STAND_IN_REGION, startBedrockStandIn } from "../fixtures/bedrock-upstream.ts";
import { STAND_IN_PROJECT, STAND_IN_VERTEX_REGION, startVertexStandIn } from "../fixtures/vertex-upstream.ts";
import { CLAUDE_BIN } from "../helpers/claude-cli.ts";
import { ROOT, runCommand, tempDir } from "../helpers/proxy-process.ts";
import { freePort, startRedis, UNREACHABLE_REDIS_URL, type TestRedis } from "../helpers/redis.ts";

const upstream = await startScriptedUpstream();
const redisServers: TestRedis[] = [];
afterAll(async () => {
  await upstream.stop();
  for (const redis of redisServers) await redis.stop().catch(() => {});
});

/** A DATA_DIR holding a store and its secret, as a proxy that has run leaves it. */
async function usedDataDir(env: Record<string, string> = {}): Promise<string> {
  const dir = tempDir();
  const made = await runCommand(["bun", join(ROOT, "src/main.ts"), "mask", "--new-store"], { env: { PATH: process.env.PATH!, DATA_DIR: dir, ...env }, stdin: "i-0a1b2c3d4e5f67890" });
  expect(made.exitCode).toBe(0);
  return dir;
}

/** Every file under `dir`, to show that a check created nothing. */
const filesIn = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).sort() : []);

async function verify(env: Record<string, string>, args: string[] = []) {
  const base = {
    PATH: process.env.PATH!,
    HOME: tempDir(),
    DATA_DIR: await usedDataDir(),
    ANTHROPIC_API_KEY: "sk-ant-api03-verify-setup-test-key",
    ANTHROPIC_UPSTREAM_URL: upstream.url,
    PROXY_API_KEYS: "team-a:verify-key-aaaaaaaaaaaa,team-b:verify-key-bbbbbbbbbbbb",
    CLAUDE_BIN,
    CLAUDE_WORKDIR_ROOT: tempDir(),
    PORT: String(await freePort()),
  };
  return runCommand(["bun", join(ROOT, "src/main.ts"), "verify-setup", ...args], { env: { ...base, ...env } });
}

describe("verify-setup with UPSTREAM_PROVIDER=bedrock", () => {
  test("region, the credentials' source (never the secret), the model map and a signed CountTokens call; a refused identity → ✗ with the IAM fix", async () => {
    const standIn = await startBedrockStandIn();
    try {
      const bedrock = { UPSTREAM_PROVIDER: "bedrock", ANTHROPIC_API_KEY: "", AWS_REGION: STAND_IN_REGION, BEDROCK_BASE_URL: standIn.url, AWS_ACCESS_KEY_ID: STAND_IN_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: STAND_IN_CREDENTIALS.secretAccessKey, CLAUDE_RUNNER: "off" };
      const ok = await verify(bedrock);
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).toContain(`✓ AWS_REGION: ${STAND_IN_REGION}`);
      expect(ok.stdout).toMatch(/✓ model map: \d+ model names map to \d+ Bedrock IDs \(built-in table\)/);
      expect(ok.stdout).toContain(`✓ AWS credentials: environment (AWS_ACCESS_KEY_ID): access key …${STAND_IN_CREDENTIALS.accessKeyId.slice(-4)}\n`);
      expect(ok.stdout).toContain("✓ Bedrock access: a signed CountTokens call for us.anthropic.claude-opus-5-5 succeeded");
      expect(standIn.countTokenCalls).toEqual(["us.anthropic.claude-opus-5-5"]);
      expect(ok.stdout).not.toContain(STAND_IN_CREDENTIALS.secretAccessKey);
      expect(ok.stdout).not.toContain("ANTHROPIC_API_KEY");

      const refused = await verify({ ...bedrock, AWS_ACCESS_KEY_ID: "AKIAREVOKEDEXAMPLE01" });
      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toContain("✗ Bedrock access: Bedrock answered HTTP 403 (UnrecognizedClientException) for us.anthropic.claude-opus-5-5\n    fix: allow bedrock:InvokeModel");
      const badMap = await verify({ ...bedrock, MODEL_MAP: '{"m": "gpt-4"}' }, ["--offline"]);
      expect(badMap.exitCode).toBe(1);
      expect(badMap.stdout).toContain('✗ model map: MODEL_MAP: "m" maps to "gpt-4", which is not a Bedrock model ID');
    } finally {
      await standIn.stop();
    }
  }, 30_000);
});

describe("verify-setup with UPSTREAM_PROVIDER=vertex", () => {
  test("project and region, the kind of credentials, a minted token and a token-count call; forged credentials → ✗", async () => {
    const standIn = await startVertexStandIn();
    try {
      const vertex = { UPSTREAM_PROVIDER: "vertex", ANTHROPIC_API_KEY: "", VERTEX_PROJECT_ID: STAND_IN_PROJECT, VERTEX_REGION: STAND_IN_VERTEX_REGION, VERTEX_BASE_URL: standIn.url, GOOGLE_APPLICATION_CREDENTIALS: standIn.credentialsFile, CLAUDE_RUNNER: "off" };
      const ok = await verify(vertex);
      expect(ok.exitCode).toBe(0);
      expect(ok.stdout).toContain(`✓ Vertex project: ${STAND_IN_PROJECT} in ${STAND_IN_VERTEX_REGION}`);
      expect(ok.stdout).toContain(`✓ Google credentials: workload identity federation, configured in ${standIn.credentialsFile}: an access token was minted`);
      expect(ok.stdout).toContain("✓ Vertex access: a token-count call for claude-sonnet-4-5 succeeded");
      expect(standIn.requests.map((r) => r.path)).toEqual(["/v1/messages/count_tokens"]);
      const subjectFile = (JSON.parse(await Bun.file(standIn.credentialsFile).text()) as { credential_source: { file: string } }).credential_source.file;
      const genuineSubject = (await Bun.file(subjectFile).text()).trim();
      standIn.forgeSubjectToken();
      const forged = await verify(vertex);
      expect(forged.exitCode).toBe(1);
      expect(forged.stdout).toContain("✗ Google credentials: workload identity federation");
      expect(forged.stdout).toContain("no access token could be minted");
      // Neither run prints a credential: no access token, no subject token (genuine or forged).
      const forgedSubject = (await Bun.file(subjectFile).text()).trim();
      expect(forgedSubject).not.toBe(genuineSubject);
      for (const output of [ok.stdout, ok.stderr, forged.stdout, forged.stderr]) {
        expect(output).not.toContain("ya29.");
        for (const subject of [genuineSubject, forgedSubject]) expect(output).not.toContain(subject.split(".")[2]!);
      }
    } finally {
      await standIn.stop();
    }
  }, 30_000);
});

describe("verify-setup", () => {
  test("all good: every check passes, exit 0, and no key is printed", async () => {
    const { exitCode, stdout } = await verify({});
    expect(exitCode).toBe(0);
    expect(stdout).toContain("✓ configuration: every variable parses");
    expect(stdout).toContain("✓ proxy keys: 2 key(s) for tenant(s) team-a, team-b");
    expect(stdout).toContain("✓ ANTHROPIC_API_KEY: present; the upstream accepted it");
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
    expect(stdout).toContain("1 check(s) failed; fix them and run `claude-masking-proxy verify-setup` again.");
  }, 30_000);

  test("missing claude binary → a warning while runs are optional (auto), ✗ when they are required (on)", async () => {
    const optional = await verify({ CLAUDE_BIN: "/nonexistent/claude" }, ["--offline"]);
    expect(optional.exitCode).toBe(0);
    expect(optional.stdout).toContain(
      "! claude CLI: CLAUDE_BIN /nonexistent/claude not found or not executable; /v1/claude-code answers 503 until fixed (CLAUDE_RUNNER=auto)\n    fix: install Claude Code (npm install -g @anthropic-ai/claude-code) or set CLAUDE_BIN to its path",
    );
    const required = await verify({ CLAUDE_BIN: "/nonexistent/claude", CLAUDE_RUNNER: "on" }, ["--offline"]);
    expect(required.exitCode).toBe(1);
    expect(required.stdout).toContain("✗ claude CLI: CLAUDE_BIN /nonexistent/claude not found or not executable\n");
  }, 30_000);

  test("invalid configuration → every problem listed with its fix, exit 1", async () => {
    const { exitCode, stdout } = await verify({ MAPPING_TTL: "forever", ARN_MODE: "half" });
    expect(exitCode).toBe(1);
    expect(stdout).toContain("✗ configuration: 2 invalid variable(s)");
    expect(stdout).toContain('MAPPING_TTL is invalid (got "forever"): use a duration such as 7d, 12h or 30m');
    expect(stdout).toContain('ARN_MODE is invalid (got "half"): use parts or whole');
  }, 30_000);

  test("the port held by another program → ✗, exit 1; held by a running proxy → ✓ naming its version", async () => {
    const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("not us") });
    try {
      const { exitCode, stdout } = await verify({ PORT: String(holder.port) }, ["--offline"]);
      expect(exitCode).toBe(1);
      expect(stdout).toContain(`✗ listen address: 127.0.0.1:${holder.port} is in use by another program, or not an address of this host`);
    } finally {
      holder.stop(true);
    }
    // Troubleshooting a host while the service runs: the port is taken by the service itself.
    const running = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => Response.json({ status: "ok", version: "9.8.7" }) });
    try {
      const { exitCode, stdout } = await verify({ PORT: String(running.port) }, ["--offline"]);
      expect(exitCode).toBe(0);
      expect(stdout).toContain(`✓ listen address: 127.0.0.1:${running.port} is served by a running claude-masking-proxy 9.8.7\n`);
    } finally {
      running.stop(true);
    }
  }, 30_000);

  test("checking creates nothing: no DATA_DIR, store, key or secret where there was none", async () => {
    const missing = join(tempDir(), "not-yet");
    const first = await verify({ DATA_DIR: missing, PROXY_API_KEYS: "" }, ["--offline"]);
    expect(first.exitCode).toBe(0);
    expect(first.stdout).toContain(`! DATA_DIR: ${missing} does not exist yet: no store, key or secret there`);
    expect(first.stdout).toContain(`! mapping store: no store yet at ${missing}/mappings.db`);
    expect(first.stdout).toContain(`✓ MASKING_SECRET: not generated yet: serve creates one in ${missing} on first start`);
    expect(existsSync(missing)).toBe(false);
    const empty = tempDir();
    await verify({ DATA_DIR: empty, PROXY_API_KEYS: "" }, ["--offline"]);
    expect(filesIn(empty)).toEqual([]);
  }, 30_000);

  test("a store whose masking secret is gone → ✗: its mappings cannot be read", async () => {
    const dir = await usedDataDir();
    Bun.spawnSync(["rm", join(dir, "masking-secret")]);
    const { exitCode, stdout } = await verify({ DATA_DIR: dir }, ["--offline"]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain(`✗ MASKING_SECRET: the store ${dir}/mappings.db exists but its secret (${dir}/masking-secret) does not: its mappings cannot be read`);
    expect(filesIn(dir)).not.toContain("masking-secret");
  }, 30_000);

  test("a short key the upstream accepts (a gateway's own keys) passes", async () => {
    const { exitCode, stdout } = await verify({ ANTHROPIC_API_KEY: "sk-1234" });
    expect(exitCode).toBe(0);
    expect(stdout).toContain("✓ ANTHROPIC_API_KEY: present; the upstream accepted it");
  }, 30_000);

  test("network failures name their cause: a name that does not resolve, a refused connection", async () => {
    const dns = await verify({ ANTHROPIC_UPSTREAM_URL: "http://upstream.does-not-exist.invalid" });
    expect(dns.exitCode).toBe(1);
    expect(dns.stdout).toContain(
      "✗ upstream: the name of upstream.does-not-exist.invalid does not resolve (ENOTFOUND): check the host name and this machine's DNS\n    fix: fix the host name in ANTHROPIC_UPSTREAM_URL or this machine's DNS",
    );
    const port = await freePort();
    const refused = await verify({ ANTHROPIC_UPSTREAM_URL: `http://127.0.0.1:${port}` });
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain(`✗ upstream: 127.0.0.1:${port} refused the connection (ECONNREFUSED): nothing listens on that address and port, or a firewall rejects it`);
  }, 30_000);

  test("--env-file: the service's file is what is checked, not the shell's environment", async () => {
    const dir = await usedDataDir();
    const file = join(tempDir(), "proxy.env");
    writeFileSync(file, `# the service's\nANTHROPIC_API_KEY=sk-ant-api03-from-the-env-file\nANTHROPIC_UPSTREAM_URL=${upstream.url}\nPROXY_API_KEYS="ops:file-key-0123456789"\nDATA_DIR=${dir}\nCLAUDE_RUNNER=off\nPORT=${await freePort()}\n`);
    // The shell says otherwise: none of it counts.
    const { exitCode, stdout } = await verify({ PROXY_API_KEYS: "shell:shell-key-0123456789", ANTHROPIC_UPSTREAM_URL: "http://upstream.does-not-exist.invalid" }, ["--env-file", file]);
    expect(exitCode).toBe(0);
    expect(stdout).toContain(`✓ environment: read ${file} (what the service reads)`);
    expect(stdout).toContain("✓ proxy keys: 1 key(s) for tenant(s) ops");
    expect(stdout).toContain(`✓ upstream: ${upstream.url} answered HTTP 200`);
    expect(stdout).toContain("✓ store round trip: write + read OK");
    expect(stdout).toContain("✓ Claude Code runs: off (CLAUDE_RUNNER=off)");
    expect(stdout).not.toContain("from-the-env-file");
    const unreadable = await verify({}, ["--env-file", join(tempDir(), "missing.env")]);
    expect(unreadable.exitCode).toBe(1);
    expect(unreadable.stdout).toContain("✗ environment: cannot read the environment file");
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
    expect(stdout).toContain("✗ mapping store: Redis store unavailable: Error; last connection error: Error (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:1\n    fix: start Redis or fix STORE_URL (host, port, password, TLS via rediss://)");
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
