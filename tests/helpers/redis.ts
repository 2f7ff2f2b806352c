/**
 * Real redis-server instances for tests, on free loopback ports in temp directories, never
 * the machine's own Redis. Each is stopped by its PID.
 */
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TestRedis {
  port: number;
  url: string;
  dir: string;
  pid: number;
  /** Stops it (SIGTERM, or SIGKILL for a crash) and waits for the exit. */
  stop(signal?: "SIGTERM" | "SIGKILL"): Promise<void>;
  /** Starts it again on the same port and directory (AOF replayed if enabled). */
  restart(): Promise<void>;
  cli(...args: string[]): Promise<string>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A Redis URL where nothing listens and nothing can start listening while a test runs. A port
 * from freePort() is only free at that instant: any later listen(0) or test Redis (in this run
 * or in another suite on the machine) may take it. Port 1 is privileged and outside the
 * ephemeral range those draw from, so connecting to it is refused every time.
 */
export const UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1";

export async function redisCli(port: number, ...args: string[]): Promise<string> {
  const proc = Bun.spawn(["redis-cli", "-h", "127.0.0.1", "-p", String(port), ...args], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  await proc.exited;
  return out.trim();
}

async function waitForPing(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await redisCli(port, "PING")) === "PONG") return;
    await Bun.sleep(25);
  }
  throw new Error(`redis-server on ${port} did not answer`);
}

export async function startRedis(options: { appendonly?: boolean; cluster?: boolean; extra?: string[] } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "cmp-redis-"));
  const args = [
    "--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--daemonize", "no",
    "--appendonly", options.appendonly ? "yes" : "no", "--appendfsync", "always", "--logfile", join(dir, "redis.log"),
    ...(options.cluster ? ["--cluster-enabled", "yes", "--cluster-config-file", join(dir, "nodes.conf"), "--cluster-node-timeout", "2000"] : []),
    ...(options.extra ?? []),
  ];
  let proc = Bun.spawn(["redis-server", ...args], { stdout: "ignore", stderr: "ignore" });
  await waitForPing(port);
  const redis: TestRedis = {
    port,
    url: `redis://127.0.0.1:${port}`,
    dir,
    get pid() {
      return proc.pid;
    },
    async stop(signal = "SIGTERM") {
      proc.kill(signal);
      await proc.exited;
    },
    async restart() {
      proc = Bun.spawn(["redis-server", ...args], { stdout: "ignore", stderr: "ignore" });
      await waitForPing(port);
    },
    cli: (...cliArgs) => redisCli(port, ...cliArgs),
  };
  return redis;
}

/** Three masters on loopback, joined with `redis-cli --cluster create`. */
export async function startRedisCluster(): Promise<{ nodes: TestRedis[]; url: string; stop(): Promise<void> }> {
  const nodes = await Promise.all([0, 1, 2].map(() => startRedis({ cluster: true })));
  const create = Bun.spawn(
    ["redis-cli", "--cluster", "create", ...nodes.map((node) => `127.0.0.1:${node.port}`), "--cluster-replicas", "0", "--cluster-yes"],
    { stdout: "pipe", stderr: "pipe" },
  );
  await create.exited;
  for (let i = 0; i < 200; i++) {
    const states = await Promise.all(nodes.map((node) => node.cli("CLUSTER", "INFO")));
    if (states.every((info) => info.includes("cluster_state:ok"))) break;
    await Bun.sleep(50);
  }
  return {
    nodes,
    url: `redis+cluster://${nodes.map((node) => `127.0.0.1:${node.port}`).join(",")}`,
    async stop() {
      await Promise.all(nodes.map((node) => node.stop()));
    },
  };
}
