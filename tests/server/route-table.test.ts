/**
 * The route table: metric labels for every route, "other" for anything a client can make up
 * (labels must not grow with user input), and the 404 message's list of routes.
 */
import { describe, expect, test } from "bun:test";
import { ROUTES, advertisedRoutes, findRoute, routeTemplate } from "../../src/server/route-table.ts";

describe("routeTemplate", () => {
  test.each([
    ["/", "/"],
    ["/health", "/health"],
    ["/health/ready", "/health/ready"],
    ["/metrics", "/metrics"],
    ["/v1/whoami", "/v1/whoami"],
    ["/v1/messages", "/v1/messages"],
    ["/v1/messages/count_tokens", "/v1/messages/count_tokens"],
    ["/v1/models", "/v1/models"],
    ["/v1/models/claude-x", "/v1/models/:id"],
    ["/v1/mask", "/v1/mask"],
    ["/v1/unmask", "/v1/unmask"],
    ["/v1/claude-code", "/v1/claude-code"],
    ["/v1/claude-code/analyze", "/v1/claude-code/analyze"],
    ["/bedrock/inference-profiles", "/bedrock/inference-profiles"],
    ["/bedrock/inference-profiles/us.anthropic.claude-sonnet-4-5-20250929-v1:0", "/bedrock/inference-profiles/:id"],
    ["/bedrock/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke", "/bedrock/model/:id/invoke"],
    ["/bedrock/model/arn:aws:bedrock:us-east-1:123456789012:application-inference-profile%2Fabc/invoke-with-response-stream", "/bedrock/model/:id/invoke-with-response-stream"],
    ["/bedrock/model/x/count-tokens", "/bedrock/model/:id/count-tokens"],
    ["/vertex/projects/p-1/locations/us-east5/publishers/anthropic/models/claude-opus-5-5:streamRawPredict", "/vertex/projects/:project/locations/:region/publishers/anthropic/models/:call"],
  ])("%s → %s", (path, template) => {
    expect(routeTemplate(path)).toBe(template);
  });

  test("the cases above cover every route in ROUTES", () => {
    expect(ROUTES.map((route) => route.template)).toEqual([
      "/",
      "/health",
      "/health/ready",
      "/metrics",
      "/v1/whoami",
      "/v1/messages",
      "/v1/messages/count_tokens",
      "/v1/models",
      "/v1/models/:id",
      "/v1/mask",
      "/v1/unmask",
      "/v1/claude-code",
      "/v1/claude-code/analyze",
      "/bedrock/inference-profiles",
      "/bedrock/inference-profiles/:id",
      "/bedrock/model/:id/invoke",
      "/bedrock/model/:id/invoke-with-response-stream",
      "/bedrock/model/:id/count-tokens",
      "/vertex/projects/:project/locations/:region/publishers/anthropic/models/:call",
    ]);
  });

  test.each([
    ["an unknown path", "/v1/complete"],
    ["the empty path", ""],
    ["two segments after /v1/models", "/v1/models/a/b"],
    ["/v1/models/ with an empty id", "/v1/models/"],
    ["a suffix on a literal route", "/v1/messagesX"],
    ["a trailing slash", "/v1/messages/"],
    ["different case", "/V1/messages"],
    ["a query string left on", "/v1/messages?beta=true"],
    ["an extra segment after a literal route", "/v1/mask/extra"],
    ["a very long path", `/v1/models/${"a".repeat(5_000)}/x`],
    ["a very long unknown path", `/${"x".repeat(10_000)}`],
  ])("%s → other", (_name, path) => {
    expect(routeTemplate(path)).toBe("other");
  });

  test("a long single-segment model id is still /v1/models/:id", () => {
    expect(routeTemplate(`/v1/models/${"a".repeat(5_000)}`)).toBe("/v1/models/:id");
  });
});

describe("findRoute", () => {
  test.each([
    ["/", ["GET", "HEAD"]],
    ["/health", ["GET", "HEAD"]],
    ["/health/ready", ["GET", "HEAD"]],
    ["/metrics", ["GET"]],
    ["/v1/whoami", ["GET"]],
    ["/v1/messages", ["POST"]],
    ["/v1/messages/count_tokens", ["POST"]],
    ["/v1/models", ["GET"]],
    ["/v1/models/claude-x", ["GET"]],
    ["/v1/mask", ["POST"]],
    ["/v1/unmask", ["POST"]],
    ["/v1/claude-code", ["POST"]],
    ["/v1/claude-code/analyze", ["POST"]],
  ])("%s → methods %p", (path, methods) => {
    expect(findRoute(path)?.methods).toEqual(methods);
  });

  test("returns the table's own entry", () => {
    expect(findRoute("/v1/models/claude-x")).toBe(ROUTES.find((route) => route.template === "/v1/models/:id")!);
  });

  test("an unknown path → undefined", () => {
    expect(findRoute("/v1/nothing")).toBeUndefined();
  });
});

describe("advertisedRoutes", () => {
  test("lists the advertised routes in their order", () => {
    expect(advertisedRoutes()).toBe("/v1/messages, /v1/models, /v1/mask, /v1/unmask and /health");
  });

  test("does not reorder ROUTES itself", () => {
    advertisedRoutes();
    expect(ROUTES[0]!.template).toBe("/");
    expect(ROUTES[1]!.template).toBe("/health");
  });
});
