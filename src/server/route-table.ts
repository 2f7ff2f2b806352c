/**
 * Every route the proxy serves, in one place: the 405 logic (a known path with a wrong
 * method), the 404 message and the metric labels all come from this table, so they cannot
 * drift from each other. The handlers themselves are mounted in app.ts.
 */

export interface RouteSpec {
  /** The path template, as metrics label it (`/v1/models/:id`). */
  template: string;
  methods: readonly string[];
  /** Listed in the 404 message (the routes a client is meant to call), in this order. */
  advertised?: number;
}

export const ROUTES: readonly RouteSpec[] = [
  { template: "/", methods: ["GET", "HEAD"] },
  { template: "/health", methods: ["GET", "HEAD"], advertised: 5 },
  { template: "/health/ready", methods: ["GET", "HEAD"] },
  { template: "/metrics", methods: ["GET"] },
  { template: "/v1/whoami", methods: ["GET"] },
  { template: "/v1/messages", methods: ["POST"], advertised: 1 },
  { template: "/v1/messages/count_tokens", methods: ["POST"] },
  { template: "/v1/models", methods: ["GET"], advertised: 2 },
  { template: "/v1/models/:id", methods: ["GET"] },
  { template: "/v1/mask", methods: ["POST"], advertised: 3 },
  { template: "/v1/unmask", methods: ["POST"], advertised: 4 },
  { template: "/v1/claude-code", methods: ["POST"] },
  { template: "/v1/claude-code/analyze", methods: ["POST"] },
  // Bedrock's runtime routes, for Claude Code in Bedrock mode (routes/bedrock.ts).
  { template: "/bedrock/inference-profiles", methods: ["GET"] },
  { template: "/bedrock/inference-profiles/:id", methods: ["GET"] },
  { template: "/bedrock/model/:id/invoke", methods: ["POST"] },
  { template: "/bedrock/model/:id/invoke-with-response-stream", methods: ["POST"] },
  { template: "/bedrock/model/:id/count-tokens", methods: ["POST"] },
  // Vertex's Anthropic routes, for Claude Code in Vertex mode (routes/vertex.ts).
  { template: "/vertex/projects/:project/locations/:region/publishers/anthropic/models/:call", methods: ["POST"] },
];

/** `/v1/models/:id` matches one path segment; everything else is literal. */
const matchers = ROUTES.map((route) => ({
  route,
  pattern: new RegExp(`^${route.template.replace(/:[a-z]+/g, "[^/]+")}$`),
}));

/** The route a path belongs to, whatever the method. */
export function findRoute(path: string): RouteSpec | undefined {
  return matchers.find(({ pattern }) => pattern.test(path))?.route;
}

/** `/v1/models/claude-x` → `/v1/models/:id`; unknown paths → `other`: labels must not grow with user input. */
export function routeTemplate(path: string): string {
  return findRoute(path)?.template ?? "other";
}

/** What a 404 tells the caller this proxy serves. */
export function advertisedRoutes(): string {
  const paths = ROUTES.filter((route) => route.advertised !== undefined)
    .sort((a, b) => a.advertised! - b.advertised!)
    .map((route) => route.template);
  return `${paths.slice(0, -1).join(", ")} and ${paths.at(-1)}`;
}
