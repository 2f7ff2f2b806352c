/**
 * The HTTP application, built without listening so tests can drive it with `app.handle()`.
 * Route handlers stay thin; one error handler turns every failure into the Anthropic shape.
 */
import { bearer } from "@elysiajs/bearer";
import { Elysia } from "elysia";
import type { Logger } from "../log.ts";
import { safeStack } from "../log.ts";
import type { TenantKey } from "../secrets.ts";
import type { MappingStore } from "../store/types.ts";
import { createAuthenticator, type Authenticator } from "./auth.ts";
import { ProxyError, errorResponse, methodNotAllowed, notFound, toProxyError } from "./errors.ts";
import { healthRoutes } from "./routes/health.ts";
import type { messagesHandlers } from "./routes/messages.ts";
import type { RunnerService } from "../runner/runner-service.ts";
import { readJsonObject } from "./body.ts";
import type { Metrics } from "./metrics.ts";
import type { RequestFacts } from "./telemetry.ts";

export interface AppDeps {
  version: string;
  keys: readonly TenantKey[];
  logger: Logger;
  maxBodyBytes: number;
  store?: MappingStore;
  /** The proxy's features; absent in tests of the foundation alone. */
  services?: AppServices;
}

export interface AppServices {
  messages: ReturnType<typeof messagesHandlers>;
  mask: {
    mask(tenant: string, body: Record<string, unknown>): Promise<unknown>;
    unmask(tenant: string, body: Record<string, unknown>): Promise<unknown>;
  };
  runner: RunnerService;
  metrics: Metrics;
  facts: RequestFacts;
}

/** Which methods each known path accepts, so a wrong method gets 405 and not 404. */
const KNOWN_ROUTES: { path: RegExp; methods: string[] }[] = [
  { path: /^\/$/, methods: ["GET", "HEAD"] },
  { path: /^\/health(\/ready)?$/, methods: ["GET", "HEAD"] },
  { path: /^\/metrics$/, methods: ["GET"] },
  { path: /^\/v1\/whoami$/, methods: ["GET"] },
  { path: /^\/v1\/messages(\/count_tokens)?$/, methods: ["POST"] },
  { path: /^\/v1\/models(\/[^/]+)?$/, methods: ["GET"] },
  { path: /^\/v1\/(mask|unmask)$/, methods: ["POST"] },
  { path: /^\/v1\/claude-code(\/analyze)?$/, methods: ["POST"] },
];

function routeNotFound(method: string, path: string): ProxyError {
  const known = KNOWN_ROUTES.find((route) => route.path.test(path));
  if (known && !known.methods.includes(method)) return methodNotAllowed(method, path, known.methods);
  return notFound(`No route for ${method} ${path}; this proxy serves /v1/messages, /v1/models, /v1/mask, /v1/unmask and /health.`);
}

/** Every authenticated route lives under this plugin: it resolves `tenant` and `callerKey` or throws 401. */
function authPlugin(auth: Authenticator, facts?: RequestFacts) {
  return new Elysia()
    .use(bearer())
    .resolve({ as: "scoped" }, ({ bearer: token, request }) => {
      const caller = auth.authenticate({ bearer: token, apiKey: request.headers.get("x-api-key"), url: request.url });
      facts?.setTenant(request, caller.tenant);
      return { tenant: caller.tenant, callerKey: caller.key };
    });
}

const requestIds = new WeakMap<Request, string>();
export const requestIdOf = (request: Request) => requestIds.get(request) ?? "unknown";

export function createApp(deps: AppDeps) {

  const authenticated = authPlugin(createAuthenticator(deps.keys), deps.services?.facts);
  const services = deps.services;
  const json = (request: Request) => readJsonObject(request, deps.maxBodyBytes);

  return new Elysia()
    .onRequest(({ request }) => {
      requestIds.set(request, `req_proxy_${crypto.randomUUID().replaceAll("-", "")}`);
    })
    .onError(({ code, error, request }) => {
      const requestId = requestIdOf(request);
      if (code === "NOT_FOUND") return errorResponse(routeNotFound(request.method, new URL(request.url).pathname), requestId);
      const proxyError = toProxyError(error, requestId);
      if (proxyError.status >= 500) {
        deps.logger.error("request failed", {
          request_id: requestId,
          status: proxyError.status,
          error: error instanceof Error ? error.name : typeof error,
          stack: proxyError.errorType === "api_error" && !(error instanceof ProxyError) ? safeStack(error) : undefined,
        });
      }
      return errorResponse(proxyError, requestId);
    })
    .use(healthRoutes(deps.version, deps.store))
    .use(authenticated)
    .get("/v1/whoami", ({ tenant }) => ({ tenant }))
    .use(services ? featureRoutes(authenticated, services, json) : new Elysia());
}

/** The product's routes, behind the authenticated plugin (which supplies tenant and callerKey). */
function featureRoutes(authenticated: ReturnType<typeof authPlugin>, services: AppServices, json: (request: Request) => Promise<Record<string, unknown>>) {
  return new Elysia()
    .use(authenticated)
    .get("/metrics", () => services.metrics.render())
    .post("/v1/messages", ({ tenant, request }) => services.messages.messages(tenant, request), { parse: "none" })
    .post("/v1/messages/count_tokens", ({ tenant, request }) => services.messages.countTokens(tenant, request), { parse: "none" })
    .get("/v1/models", ({ request }) => services.messages.models(request))
    .get("/v1/models/:id", ({ request }) => services.messages.models(request))
    .post("/v1/mask", async ({ tenant, request }) => services.mask.mask(tenant, await json(request)), { parse: "none" })
    .post("/v1/unmask", async ({ tenant, request }) => services.mask.unmask(tenant, await json(request)), { parse: "none" })
    .post("/v1/claude-code", async ({ callerKey, request }) => services.runner.run(await json(request), callerKey, request.signal), {
      parse: "none",
    })
    .post(
      "/v1/claude-code/analyze",
      async ({ callerKey, request }) => services.runner.analyze(await json(request), callerKey, request.signal),
      { parse: "none" },
    );
}

export type App = ReturnType<typeof createApp>;
