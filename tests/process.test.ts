/** The proxy as operators run it: a real process, the compiled binary, signals, generated keys. */
import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { EnvSchema } from "../src/config.ts";
import { ROOT, runCommand, startProxy, tempDir } from "./helpers/proxy-process.ts";
import { UNREACHABLE_REDIS_URL } from "./helpers/redis.ts";
import { STAND_IN_CREDENTIALS, STAND_IN_REGION, startBedrockStandIn } from "./fixtures/bedrock-upstream.ts";
import { respond } from "./fixtures/scripted-upstream.ts";
import { STAND_IN_PROJECT, STAND_IN_VERTEX_REGION, startVertexStandIn } from "./fixtures/vertex-upstream.ts";

// Built into a directory of the test's own: a developer's dist/ is left as it was.
const BUILD_DIR = tempDir("cmp-build-");
const BINARY = join(BUILD_DIR, "claude-masking-proxy");

describe("compiled binary", () => {
  beforeAll(async () => {
    const build = await runCommand(["bun", "scripts/build.ts", "--outdir", BUILD_DIR], { env: { PATH: process.env.PATH! }, cwd: ROOT });
    expect(build.exitCode).toBe(0);
    expect(existsSync(`${BINARY}.map`)).toBe(false);
  }, 120_000);

  test("starts, answers /health, stops on SIGTERM with exit 0", async () => {
    const dataDir = tempDir();
    const proxy = await startProxy({ cmd: [BINARY], env: { DATA_DIR: dataDir, ANTHROPIC_API_KEY: "sk-ant-test" } });
    const response = await fetch(`${proxy.url}/health`);
    expect(response.status).toBe(200);
    const version = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version;
    expect(await response.json()).toEqual({ status: "ok", version });
    expect(await proxy.stop("SIGTERM")).toBe(0);
    expect(proxy.output()).toContain('"msg":"shutting down","signal":"SIGTERM"');
  });

  test("started from a directory with a hostile .env and bunfig.toml, it ignores both", async () => {
    const cwd = tempDir("cmp-hostile-");
    const marker = join(cwd, "preload-ran");
    writeFileSync(join(cwd, ".env"), "PROXY_API_KEYS=attacker:attacker-key-123456\nANTHROPIC_UPSTREAM_URL=http://127.0.0.1:9/steal\nLOG_LEVEL=error\n");
    writeFileSync(join(cwd, "evil.ts"), `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "ran");\n`);
    writeFileSync(join(cwd, "bunfig.toml"), 'preload = ["./evil.ts"]\n');
    const proxy = await startProxy({ cmd: [BINARY], cwd, env: { DATA_DIR: tempDir(), ANTHROPIC_API_KEY: "sk-ant-test", PROXY_API_KEYS: "ops:real-key-1234567890" } });
    const attacker = await fetch(`${proxy.url}/v1/whoami`, { headers: { "x-api-key": "attacker-key-123456" } });
    expect(attacker.status).toBe(401);
    const real = await fetch(`${proxy.url}/v1/whoami`, { headers: { "x-api-key": "real-key-1234567890" } });
    expect(await real.json()).toEqual({ tenant: "ops" });
    expect(existsSync(marker)).toBe(false);
    expect(await proxy.stop()).toBe(0);
  });

  test("the binary masks and restores a streamed /v1/messages like the source does", async () => {
    const { startScriptedUpstream, respond } = await import("./fixtures/scripted-upstream.ts");
    const upstream = await startScriptedUpstream();
    const proxy = await startProxy({
      cmd: [BINARY],
      env: { DATA_DIR: tempDir(), ANTHROPIC_API_KEY: "sk-ant-test", ANTHROPIC_UPSTREAM_URL: upstream.url, PROXY_API_KEYS: "ops:real-key-1234567890" },
    });
    try {
      upstream.script(respond.stream({ content: [{ type: "text", text: "Restart AWS_EC2_001." }] }));
      const response = await fetch(`${proxy.url}/v1/messages`, {
        method: "POST",
        headers: { authorization: "Bearer real-key-1234567890", "content-type": "application/json" },
        body: JSON.stringify({ model: "m", max_tokens: 9, stream: true, messages: [{ role: "user", content: "fix i-0a1b2c3d4e5f67890" }] }),
      });
      const text = await response.text();
      const restored = [...text.matchAll(/"text":"([^"]*)"/g)].map((m) => m[1]).join("");
      expect(restored).toBe("Restart i-0a1b2c3d4e5f67890.");
      expect(upstream.requests[0]!.json.messages[0].content).toBe("fix AWS_EC2_001");
    } finally {
      await proxy.stop();
      await upstream.stop();
    }
  });

  test("a store unreachable at start-up: a warn line with the cause, then stack frames that name source files", async () => {
    const dataDir = tempDir();
    const proxy = await startProxy({
      cmd: [BINARY],
      env: { DATA_DIR: dataDir, ANTHROPIC_API_KEY: "sk-ant-test", STORE_URL: UNREACHABLE_REDIS_URL, MASKING_SECRET: "s".repeat(40), PROXY_API_KEYS: "ops:key-0123456789abcdef" },
    });
    try {
      const lines = () => proxy.output().trim().split("\n").map((line) => JSON.parse(line));
      expect(lines().find((line) => line.msg.startsWith("the mapping store does not answer"))).toMatchObject({
        level: "warn",
        store: "redis",
        cause: expect.stringContaining("last connection error: Error (ECONNREFUSED): connect ECONNREFUSED 127.0.0.1:1"),
      });
      const response = await fetch(`${proxy.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": "key-0123456789abcdef", "content-type": "application/json" },
        body: JSON.stringify({ model: "m", max_tokens: 5, messages: [{ role: "user", content: "i-0a1b2c3d4e5f67890" }] }),
      });
      expect(response.status).toBe(503);
      const failed = lines().find((line) => line.msg === "request failed");
      // The binary's embedded source map: frames point at src/…ts lines, not at a minified bundle.
      expect(failed.stack).toMatch(/at \S+ \(src\/store\/redis\.ts:\d+:\d+\)/);
      expect(failed.stack).not.toContain("$bunfs");
    } finally {
      await proxy.stop();
    }
  });

  test("with UPSTREAM_PROVIDER=bedrock: signs with the credential chain and re-frames Bedrock's event stream inside the binary", async () => {
    const standIn = await startBedrockStandIn();
    const proxy = await startProxy({
      cmd: [BINARY],
      env: {
        DATA_DIR: tempDir(),
        PROXY_API_KEYS: "ops:key-0123456789abcdef",
        UPSTREAM_PROVIDER: "bedrock",
        AWS_REGION: STAND_IN_REGION,
        BEDROCK_BASE_URL: standIn.url,
        AWS_ACCESS_KEY_ID: STAND_IN_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: STAND_IN_CREDENTIALS.secretAccessKey,
      },
    });
    try {
      standIn.script(respond.stream({ content: [{ type: "text", text: "AWS_EC2_001 is fine." }] }));
      const response = await fetch(`${proxy.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": "key-0123456789abcdef", "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 5, stream: true, messages: [{ role: "user", content: "is i-0a1b2c3d4e5f67890 fine?" }] }),
      });
      const text = await response.text();
      const deltas = text.split("\n").filter((line) => line.includes('"text_delta"')).map((line) => JSON.parse(line.slice(6)).delta.text);
      expect(deltas.join("")).toBe("i-0a1b2c3d4e5f67890 is fine.");
      expect(standIn.refused).toEqual([]);
      expect(standIn.requests[0]!.bedrock.path).toBe("/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream");
      expect(standIn.requests[0]!.bodyText).not.toContain("i-0a1b2c3d4e5f67890");
    } finally {
      await proxy.stop();
      await standIn.stop();
    }
  });

  test("with UPSTREAM_PROVIDER=vertex: trades application-default credentials for a token and streams inside the binary", async () => {
    const standIn = await startVertexStandIn();
    const proxy = await startProxy({
      cmd: [BINARY],
      env: {
        DATA_DIR: tempDir(),
        PROXY_API_KEYS: "ops:key-0123456789abcdef",
        UPSTREAM_PROVIDER: "vertex",
        VERTEX_PROJECT_ID: STAND_IN_PROJECT,
        VERTEX_REGION: STAND_IN_VERTEX_REGION,
        VERTEX_BASE_URL: standIn.url,
        GOOGLE_APPLICATION_CREDENTIALS: standIn.credentialsFile,
      },
    });
    try {
      standIn.script(respond.stream({ content: [{ type: "text", text: "AWS_EC2_001 is fine." }] }));
      const response = await fetch(`${proxy.url}/v1/messages`, {
        method: "POST",
        headers: { "x-api-key": "key-0123456789abcdef", "content-type": "application/json" },
        body: JSON.stringify({ model: "claude-sonnet-4-5", max_tokens: 5, stream: true, messages: [{ role: "user", content: "is i-0a1b2c3d4e5f67890 fine?" }] }),
      });
      const deltas = (await response.text()).split("\n").filter((line) => line.includes('"text_delta"')).map((line) => JSON.parse(line.slice(6)).delta.text);
      expect(deltas.join("")).toBe("i-0a1b2c3d4e5f67890 is fine.");
      expect(standIn.refused).toEqual([]);
      expect(standIn.requests[0]!.json.model).toBe("claude-sonnet-4-5@20250929");
      expect(standIn.requests[0]!.bodyText).not.toContain("i-0a1b2c3d4e5f67890");
    } finally {
      await proxy.stop();
      await standIn.stop();
    }
  });

  test("--version and an unknown flag behave like the source", async () => {
    const version = await runCommand([BINARY, "--version"]);
    expect(version.exitCode).toBe(0);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`);
    const bad = await runCommand([BINARY, "--frobnicate"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toBe("claude-masking-proxy: unknown option --frobnicate\nRun `claude-masking-proxy --help` for usage.\n");
  });
});

describe("generated proxy key", () => {
  test("is created once with mode 0600, logged by path only, and reused on the next start", async () => {
    const dataDir = tempDir();
    const keyFile = join(dataDir, "proxy-api-key");
    const first = await startProxy({ env: { DATA_DIR: dataDir, ANTHROPIC_API_KEY: "sk-ant-test" } });
    expect(existsSync(keyFile)).toBe(true);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = readFileSync(keyFile, "utf8").trim();
    expect(key).toMatch(/^cmp-[A-Za-z0-9_-]{32}$/);
    expect(first.output()).toContain(keyFile);
    expect(await first.stop()).toBe(0);

    const second = await startProxy({ env: { DATA_DIR: dataDir, ANTHROPIC_API_KEY: "sk-ant-test" } });
    expect(readFileSync(keyFile, "utf8").trim()).toBe(key);
    const whoami = await fetch(`${second.url}/v1/whoami`, { headers: { "x-api-key": key } });
    expect(await whoami.json()).toEqual({ tenant: "default" });
    expect(await second.stop("SIGINT")).toBe(0);
    expect(first.output() + second.output()).not.toContain(key);
  });

  test("configured keys are used and no key file is generated", async () => {
    const dataDir = tempDir();
    const proxy = await startProxy({ env: { DATA_DIR: dataDir, ANTHROPIC_API_KEY: "sk-ant-test", PROXY_API_KEYS: "ops:k-ops-1,dev:k-dev-2" } });
    expect(existsSync(join(dataDir, "proxy-api-key"))).toBe(false);
    const response = await fetch(`${proxy.url}/v1/whoami`, { headers: { authorization: "Bearer k-dev-2" } });
    expect(await response.json()).toEqual({ tenant: "dev" });
    await proxy.stop();
  });
});

describe("listening", () => {
  const serve = (env: Record<string, string>) =>
    runCommand(["bun", join(ROOT, "src/main.ts"), "serve"], { env: { PATH: process.env.PATH!, DATA_DIR: tempDir(), ANTHROPIC_API_KEY: "sk-ant-test", ...env } });

  test("a HOST that is no address, or not this machine's, or a port in use: exit 1 with the variable to fix", async () => {
    expect(await serve({ HOST: "not a host", PORT: "0" })).toMatchObject({
      exitCode: 1,
      stderr: "Cannot listen on not a host:0: HOST is not an address or a name this machine resolves. Set HOST to one of its addresses, e.g. 127.0.0.1.\n",
    });
    expect(await serve({ HOST: "192.0.2.1", PORT: "0" })).toMatchObject({
      exitCode: 1,
      stderr: "Cannot listen on 192.0.2.1:0: HOST is not an address of this machine. Set HOST to one of its addresses, e.g. 127.0.0.1 or 0.0.0.0.\n",
    });
    const holder = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    try {
      const held = await serve({ PORT: String(holder.port) });
      expect(held.exitCode).toBe(1);
      expect(held.stderr).toBe(`Cannot listen on 127.0.0.1:${holder.port}: port ${holder.port} is in use (another process holds it; \`ss -ltnp\` shows which). Stop it, or set PORT.\n`);
    } finally {
      holder.stop(true);
    }
  });

  test("HOST beyond loopback: a warning that it is plain HTTP, with the fix", async () => {
    const proxy = await startProxy({ env: { DATA_DIR: tempDir(), ANTHROPIC_API_KEY: "sk-ant-test", HOST: "0.0.0.0" } });
    try {
      const warning = proxy.output().trim().split("\n").map((line) => JSON.parse(line)).find((line) => line.level === "warn");
      expect(warning).toMatchObject({ msg: "listening beyond this host over plain HTTP: proxy keys and prompts cross the network unencrypted", host: "0.0.0.0" });
    } finally {
      await proxy.stop();
    }
  });
});

describe("command line", () => {
  test.each([
    [["--bogus"], "claude-masking-proxy: unknown option --bogus\n"],
    [["frobnicate"], "claude-masking-proxy: unknown command 'frobnicate'; expected one of serve, verify-setup, mask, unmask\n"],
    [["mask", "extra"], "claude-masking-proxy: unexpected argument 'extra'\n"],
    // Configuration is the environment's: an option named like a variable says how to set it.
    [["serve", "--port", "9000"], "claude-masking-proxy: --port is not an option: configuration comes from the environment. Use PORT=9000 claude-masking-proxy …\n"],
    [["--data-dir=/srv/x"], "claude-masking-proxy: --data-dir is not an option: configuration comes from the environment. Use DATA_DIR=/srv/x claude-masking-proxy …\n"],
    [["mask", "--tenant"], "claude-masking-proxy: option --tenant needs a value\n"],
  ])("%p → exit 2 with a hint", async (args, message) => {
    const result = await runCommand(["bun", join(ROOT, "src/main.ts"), ...args], { env: { PATH: process.env.PATH! } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(`${message}Run \`claude-masking-proxy --help\` for usage.\n`);
  });

  test("--help and help list every command and every environment variable with its default", async () => {
    for (const args of [["--help"], ["help"]]) {
      const result = await runCommand(["bun", join(ROOT, "src/main.ts"), ...args], { env: { PATH: process.env.PATH! } });
      expect(result.exitCode).toBe(0);
      for (const command of ["claude-masking-proxy [serve]", "claude-masking-proxy verify-setup", "claude-masking-proxy mask", "claude-masking-proxy unmask"]) expect(result.stdout).toContain(command);
      for (const name of Object.keys(EnvSchema.properties)) expect(result.stdout).toMatch(new RegExp(`\\n  ${name} +.*\\[default: [^\\]]+\\]\\n`));
      expect(result.stdout).not.toContain("README");
    }
    const version = await runCommand(["bun", join(ROOT, "src/main.ts"), "version"], { env: { PATH: process.env.PATH! } });
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version}\n`);
  });
});
