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
import { createAuthenticator } from "./auth.ts";
import { ProxyError, errorResponse, methodNotAllowed, notFound, toProxyError } from "./errors.ts";
import { healthRoutes } from "./routes/health.ts";

export interface AppDeps {
  version: string;
  keys: readonly TenantKey[];
  logger: Logger;
  maxBodyBytes: number;
  store?: MappingStore;
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

const requestIds = new WeakMap<Request, string>();
export const requestIdOf = (request: Request) => requestIds.get(request) ?? "unknown";

export function createApp(deps: AppDeps) {
  const auth = createAuthenticator(deps.keys);

  /** Every authenticated route lives under this plugin: it resolves `tenant` or throws 401. */
  const authenticated = new Elysia({ name: "authenticated" })
    .use(bearer())
    .resolve({ as: "scoped" }, ({ bearer: token, request }) => ({
      tenant: auth.authenticate({ bearer: token, apiKey: request.headers.get("x-api-key"), url: request.url }),
    }));

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
    .get("/v1/whoami", ({ tenant }) => ({ tenant }));
}

export type App = ReturnType<typeof createApp>;
