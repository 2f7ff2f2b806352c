/**
 * `claude-masking-proxy serve`: validate configuration, resolve secrets, open the store, listen, and stop
 * cleanly on SIGTERM/SIGINT (systemd's stop, Ctrl-C).
 */
import { formatProblems, loadConfig, serveProblems } from "../config.ts";
import { createLogger } from "../log.ts";
import { resolveProxyKeys } from "../secrets.ts";
import { VERSION } from "../version.ts";
import { createApp } from "./app.ts";
import { instrument, lastResortHandler } from "./telemetry.ts";
import { createServices, type Services } from "./services.ts";

const SECRET_VARIABLES = ["ANTHROPIC_API_KEY", "PROXY_API_KEYS", "MASKING_SECRET", "STORE_URL", "METRICS_TOKEN"];

/** How long in-flight answers may take to finish after SIGTERM (systemd's TimeoutStopSec is 45 s). */
const SHUTDOWN_DRAIN_MS = 30_000;

/** The address a local client (the claude child) uses to reach a server bound to `host`. */
const connectHost = (host: string) => (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host);

export async function serve(env: Record<string, string | undefined>): Promise<number> {
  const loaded = loadConfig(env, { requireUpstreamKey: true });
  const problems = loaded.ok ? serveProblems(loaded.config) : loaded.problems;
  if (!loaded.ok || problems.length > 0) {
    process.stderr.write(`${formatProblems(problems)}\n`);
    return 1;
  }
  const config = loaded.config;
  // Read once, kept in memory only: nothing later (a child, a dependency) finds them in the
  // environment. /proc/PID/environ keeps the start-up copy; runs cannot see it (sandbox.ts).
  for (const name of SECRET_VARIABLES) delete env[name];
  const logger = createLogger(config.logLevel);

  let keys;
  try {
    keys = resolveProxyKeys(config);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  if (keys.generatedFile) {
    logger.info("no PROXY_API_KEYS configured; using the generated key file (tenant 'default')", { key_file: keys.generatedFile });
  }

  let services: Services;
  let server: ReturnType<typeof Bun.serve> | undefined;
  try {
    services = await createServices(config, logger, () => `http://${connectHost(config.host)}:${server?.port ?? config.port}`);
  } catch (error) {
    process.stderr.write(`Cannot start: ${(error as Error).message}\n`);
    return 1;
  }
  const app = createApp({
    version: VERSION,
    keys: keys.keys,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    store: services.core.store,
    services: services.app,
    metricsToken: config.metricsToken,
  });
  try {
    server = Bun.serve({
      hostname: config.host,
      port: config.port,
      fetch: instrument((request) => app.handle(request), { logger, metrics: services.metrics }),
      error: lastResortHandler(logger),
      // Never Bun's development error page (cwd and source lines), whatever NODE_ENV says.
      development: false,
      // Our own limit answers in the Anthropic shape; Bun's is only a backstop far above it.
      maxRequestBodySize: config.maxBodyBytes * 2 + 1024 * 1024,
      // Streams can sit quiet while the model thinks; Bun's 10 s default would cut them.
      idleTimeout: 255,
    });
  } catch (error) {
    process.stderr.write(`Cannot listen on ${config.host}:${config.port}: ${listenFailure(error, config.port)}\n`);
    await services.close();
    return 1;
  }
  const health = await services.core.store.health();
  const store = health.engine;
  // It still starts (and recovers by itself when the store answers), but nobody should learn
  // of the outage from the first user's 503.
  if (!health.ok) logger.warn("the mapping store does not answer: requests get 503 until it does", { store, cause: health.detail });

  // Install the signal handlers before announcing "listening": whoever waits for that line
  // (systemd, scripts, tests) may send SIGTERM at once, and a signal that arrives before the
  // handler kills the process undrained (exit 143 instead of 0).
  const stopped = new Promise<number>((resolveExit) => {
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.lifecycle("shutting down", { signal, drain_deadline_s: SHUTDOWN_DRAIN_MS / 1000 });
      services.runner.killAll(); // runs are killed, not awaited: they may take minutes
      // Stop accepting; in-flight answers (streams included) may finish until the deadline.
      // Idle keep-alive connections do not count: they are closed once requests are done.
      void server!.stop(false);
      const deadline = Date.now() + SHUTDOWN_DRAIN_MS;
      while (server!.pendingRequests > 0 && Date.now() < deadline) await Bun.sleep(50);
      if (server!.pendingRequests > 0) logger.warn("drain deadline passed; closing remaining connections", { pending: server!.pendingRequests });
      await server!.stop(true);
      await services.close();
      logger.lifecycle("stopped");
      resolveExit(0);
    };
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.once("SIGINT", () => void shutdown("SIGINT"));
  });
  if (!isLoopback(config.host)) {
    logger.warn("listening beyond this host over plain HTTP: proxy keys and prompts cross the network unencrypted", {
      host: config.host,
      fix: "put a TLS-terminating reverse proxy (nginx, Caddy, a load balancer) in front and firewall the port, or set HOST=127.0.0.1",
    });
  }
  logger.lifecycle("listening", { url: `http://${config.host}:${server.port}`, version: VERSION, tenants: keys.keys.length, store });
  return stopped;
}

/** Loopback addresses and names: the only ones where plain HTTP stays on this machine. */
export const isLoopback = (host: string) => host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** Why listening failed, in words an operator can act on (the runtime's wording varies). */
function listenFailure(error: unknown, port: number): string {
  const code = (error as { code?: unknown }).code;
  if (code === "EADDRINUSE") return `port ${port} is in use (another process holds it; \`ss -ltnp\` shows which). Stop it, or set PORT.`;
  if (code === "ENOTFOUND") return "HOST is not an address or a name this machine resolves. Set HOST to one of its addresses, e.g. 127.0.0.1.";
  if (code === "EADDRNOTAVAIL") return "HOST is not an address of this machine. Set HOST to one of its addresses, e.g. 127.0.0.1 or 0.0.0.0.";
  if (code === "EACCES") return `binding port ${port} needs privileges this process lacks. Use a port above 1023.`;
  return `${(error as Error).message}. Check HOST and PORT.`;
}
