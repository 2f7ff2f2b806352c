/**
 * `proxy serve`: validate configuration, resolve secrets, open the store, listen, and stop
 * cleanly on SIGTERM/SIGINT (systemd's stop, Ctrl-C).
 */
import { formatProblems, loadConfig } from "../config.ts";
import { createLogger } from "../log.ts";
import { resolveProxyKeys } from "../secrets.ts";
import { VERSION } from "../version.ts";
import { createApp } from "./app.ts";
import { createServices, type Services } from "./services.ts";

/** The address a local client (the claude child) uses to reach a server bound to `host`. */
const connectHost = (host: string) => (host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host);

export async function serve(env: Record<string, string | undefined>): Promise<number> {
  const loaded = loadConfig(env, { requireUpstreamKey: true });
  if (!loaded.ok) {
    process.stderr.write(`${formatProblems(loaded.problems)}\n`);
    return 1;
  }
  const config = loaded.config;
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
  });
  try {
    server = Bun.serve({
      hostname: config.host,
      port: config.port,
      fetch: (request) => app.handle(request),
      // Our own limit answers in the Anthropic shape; Bun's is only a backstop far above it.
      maxRequestBodySize: config.maxBodyBytes * 2 + 1024 * 1024,
      // Streams can sit quiet while the model thinks; Bun's 10 s default would cut them.
      idleTimeout: 255,
    });
  } catch (error) {
    process.stderr.write(`Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}. Free the port or set HOST/PORT.\n`);
    await services.close();
    return 1;
  }
  logger.info("listening", { url: `http://${config.host}:${server.port}`, version: VERSION, tenants: keys.keys.length, store: (await services.core.store.health()).engine });

  return new Promise<number>((resolveExit) => {
    const shutdown = async (signal: string) => {
      logger.info("shutting down", { signal });
      await server!.stop(false);
      await services.close();
      resolveExit(0);
    };
    process.once("SIGTERM", () => void shutdown("SIGTERM"));
    process.once("SIGINT", () => void shutdown("SIGINT"));
  });
}
