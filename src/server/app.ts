/**
 * The HTTP application, built without listening so tests can drive it with `app.handle()`.
 * Route handlers are one line each (routes/); the work lives in the services. One error
 * handler turns every failure into the Anthropic shape.
 */
import { bearer } from "@elysiajs/bearer";
import { Elysia } from "elysia";
import { ProxyError, describeCause, errorResponse, methodNotAllowed, notFound, toProxyError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { safeStack } from "../log.ts";
import type { Masker } from "../masking/masker.ts";
import type { MessagesService } from "../proxy/messages-service.ts";
import type { RunnerService } from "../runner/runner-service.ts";
import type { TenantKey } from "../secrets.ts";
import type { MappingStore } from "../store/types.ts";
import { createAuthenticator, metricsAuthorizer, type Authenticator } from "./auth.ts";
import type { Metrics } from "./metrics.ts";
import { advertisedRoutes, findRoute } from "./route-table.ts";
import { healthRoutes } from "./routes/health.ts";
import { maskHandlers } from "./routes/mask.ts";
import { messagesHandlers } from "./routes/messages.ts";
import { runnerHandlers } from "./routes/runner.ts";
import { bedrockHandlers } from "./routes/bedrock.ts";
import { vertexHandlers } from "./routes/vertex.ts";
import type { ModelMap } from "../anthropic/model-map.ts";
import { callRecordOf } from "./telemetry.ts";

export interface AppDeps {
  version: string;
  keys: readonly TenantKey[];
  logger: Logger;
  maxBodyBytes: number;
  store?: MappingStore;
  /** The proxy's features; absent in tests of the foundation alone. */
  services?: AppServices;
  /** Defaults to one built from `keys` (tests pass their own to watch it). */
  authenticator?: Authenticator;
  /** The scraper's token for GET /metrics (METRICS_TOKEN); without it metrics are off. */
  metricsToken?: string;
}

export interface AppServices {
  messages: MessagesService;
  masker: Pick<Masker, "unmaskTexts">;
  runner: RunnerService;
  metrics: Metrics;
  /** For the Bedrock routes: the model map, and whether the upstream is Bedrock itself. */
  models: ModelMap;
  upstreamIsBedrock: boolean;
  /** For the Vertex routes: model names go through as Vertex names. */
  upstreamIsVertex: boolean;
}

/** What a client that closed its connection is "answered" (counted in metrics under 400). */
const clientClosed = () =>
  new ProxyError(400, "invalid_request_error", "The client closed the connection before the proxy answered.");

function routeNotFound(method: string, path: string): ProxyError {
  const known = findRoute(path);
  if (known && !known.methods.includes(method)) return methodNotAllowed(method, path, known.methods);
  return notFound(`No route for ${method} ${path}; this proxy serves ${advertisedRoutes()}.`);
}

/**
 * Resolves `tenant`, `callerKey` and the request's `call` record, or throws 401. Named, so
 * Elysia registers it once however often it is used: an unnamed plugin runs once per `use`.
 */
function authPlugin(auth: Authenticator) {
  return new Elysia({ name: "proxy-auth", seed: auth })
    .use(bearer())
    .resolve({ as: "scoped" }, ({ bearer: token, request }) => {
      const caller = auth.authenticate({ bearer: token, apiKey: request.headers.get("x-api-key"), url: request.url });
      const call = callRecordOf(request);
      call.tenant = caller.tenant;
      return { tenant: caller.tenant, callerKey: caller.key, call };
    });
}

export function createApp(deps: AppDeps) {
  const auth = authPlugin(deps.authenticator ?? createAuthenticator(deps.keys));
  return new Elysia()
    .onError(({ code, error, request }) => {
      const call = callRecordOf(request);
      const requestId = call.requestId;
      if (request.signal.aborted) {
        // The client closed its connection (an upload cut short, or it stopped waiting): nobody
        // reads this answer and nothing failed here. One debug line, never an error per drop.
        call.clientGone = true;
        deps.logger.debug("client closed the connection before the answer", {
          request_id: requestId,
          error: error instanceof Error ? error.name : typeof error,
        });
        return errorResponse(clientClosed(), requestId);
      }
      if (code === "NOT_FOUND") return errorResponse(routeNotFound(request.method, new URL(request.url).pathname), requestId);
      const proxyError = toProxyError(error, requestId);
      if (proxyError.status >= 500) {
        const unexpected = !(error instanceof ProxyError) && proxyError.errorType === "api_error";
        deps.logger.error("request failed", {
          request_id: requestId,
          status: proxyError.status,
          error: error instanceof Error ? error.name : typeof error,
          reason: unexpected ? undefined : proxyError.message,
          cause: describeCause(proxyError),
          stack: unexpected ? safeStack(error) : undefined,
        });
      }
      return errorResponse(proxyError, requestId);
    })
    .use(healthRoutes(deps.version, deps.store))
    .use(metricsRoute(deps))
    .use(bedrockProfileRoutes(deps))
    .use(authenticatedRoutes(auth, deps));
}

/**
 * Claude Code in Bedrock mode lists inference profiles through the AWS SDK, which sends no
 * proxy key (CLAUDE_CODE_SKIP_BEDROCK_AUTH): the listing names served models and nothing else.
 */
function bedrockProfileRoutes(deps: AppDeps) {
  const routes = new Elysia({ name: "bedrock-profile-routes" });
  const services = deps.services;
  if (!services) return routes;
  const bedrock = bedrockHandlers({ ...services, maxBodyBytes: deps.maxBodyBytes });
  return routes.get("/bedrock/inference-profiles", bedrock.profiles).get("/bedrock/inference-profiles/:id", bedrock.profile);
}

/** GET /metrics with the scraper's own token (auth.ts), never a tenant's key. */
function metricsRoute(deps: AppDeps) {
  const authorize = metricsAuthorizer(deps.metricsToken);
  const routes = new Elysia({ name: "metrics-route" });
  const metrics = deps.services?.metrics;
  if (!metrics) return routes;
  return routes.get("/metrics", ({ request }) => {
    authorize(request.headers.get("authorization"));
    return metrics.render();
  });
}

/** Every route behind the proxy key; each handler is one line into a service. */
function authenticatedRoutes(auth: ReturnType<typeof authPlugin>, deps: AppDeps) {
  const routes = new Elysia({ name: "authenticated-routes" }).use(auth).get("/v1/whoami", ({ tenant }) => ({ tenant }));
  const services = deps.services;
  if (!services) return routes;
  const messages = messagesHandlers(services.messages, deps.maxBodyBytes);
  const mask = maskHandlers(services.messages, services.masker, deps.maxBodyBytes);
  const runner = runnerHandlers(services.runner, deps.maxBodyBytes);
  const bedrock = bedrockHandlers({ ...services, maxBodyBytes: deps.maxBodyBytes });
  const vertex = vertexHandlers({ ...services, maxBodyBytes: deps.maxBodyBytes });
  return routes
    .post("/v1/messages", messages.messages, { parse: "none" })
    .post("/v1/messages/count_tokens", messages.countTokens, { parse: "none" })
    .get("/v1/models", messages.models)
    .get("/v1/models/:id", messages.models)
    .post("/v1/mask", mask.mask, { parse: "none" })
    .post("/v1/unmask", mask.unmask, { parse: "none" })
    .post("/v1/claude-code", runner.run, { parse: "none" })
    .post("/v1/claude-code/analyze", runner.analyze, { parse: "none" })
    .post("/bedrock/model/:id/invoke", bedrock.invoke, { parse: "none" })
    .post("/bedrock/model/:id/invoke-with-response-stream", bedrock.invokeStream, { parse: "none" })
    .post("/bedrock/model/:id/count-tokens", bedrock.countTokens, { parse: "none" })
    .post("/vertex/projects/:project/locations/:region/publishers/anthropic/models/:call", vertex.predict, { parse: "none" });
}

export type App = ReturnType<typeof createApp>;
