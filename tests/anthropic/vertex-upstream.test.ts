/**
 * The Vertex upstream client against the Vertex stand-in: a real application-default-credentials
 * flow (workload identity federation: a subject token signed with the stand-in's test key,
 * traded at its token endpoint), Vertex's request shape, model names, and errors.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { VertexUpstream, vertexModel } from "../../src/anthropic/vertex-upstream.ts";
import { ProxyError } from "../../src/errors.ts";
import { respond } from "../fixtures/scripted-upstream.ts";
import { STAND_IN_PROJECT, STAND_IN_VERTEX_REGION, startVertexStandIn, type VertexStandIn } from "../fixtures/vertex-upstream.ts";

let standIn: VertexStandIn;
beforeAll(async () => {
  standIn = await startVertexStandIn();
  process.env.GOOGLE_APPLICATION_CREDENTIALS = standIn.credentialsFile;
});
afterAll(() => standIn.stop());
beforeEach(() => standIn.reset());

const client = () => new VertexUpstream({ region: STAND_IN_VERTEX_REGION, projectId: STAND_IN_PROJECT, baseURL: standIn.url });
const send = (upstream: VertexUpstream, body: unknown, headers: Record<string, string> = {}) =>
  upstream.send({ method: "post", path: "/v1/messages", clientHeaders: new Headers(headers), body: JSON.stringify(body) });
const text = (body: ReadableStream<Uint8Array> | null) => new Response(body).text();

describe("requests", () => {
  test("a token traded for the signed subject token; the model in the path as Vertex names it; vertex-2023-10-16 in the body", async () => {
    const response = await send(client(), { model: "claude-sonnet-4-5", max_tokens: 5, messages: [{ role: "user", content: "hi" }] }, { "anthropic-beta": "context-1m-2025-08-07", "x-api-key": "client-key" });
    expect(response.status).toBe(200);
    expect(JSON.parse(await text(response.body)).content[0].text).toBe("Hello from the Vertex stand-in.");
    expect(standIn.refused).toEqual([]);
    const [request] = standIn.requests;
    expect(request!.json.model).toBe("claude-sonnet-4-5@20250929");
    expect(JSON.parse(request!.bodyText)).toEqual({ max_tokens: 5, messages: [{ role: "user", content: "hi" }], anthropic_version: "vertex-2023-10-16" });
    expect(request!.headers.authorization).toStartWith("Bearer ya29.standin-");
    expect(request!.headers["anthropic-beta"]).toBe("context-1m-2025-08-07");
    expect(request!.headers["x-api-key"]).toBeUndefined();
  });

  test("a stream is Vertex's streamRawPredict, its SSE passed on", async () => {
    standIn.script(respond.stream({ content: [{ type: "text", text: "streamed from Vertex" }] }));
    const response = await send(client(), { model: "claude-opus-4-1-20250805", max_tokens: 5, stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(response.headers.get("content-type")).toStartWith("text/event-stream");
    const deltas = (await text(response.body)).split("\n").filter((line) => line.includes("text_delta")).map((line) => JSON.parse(line.slice(6)).delta.text);
    expect(deltas.join("")).toBe("streamed from Vertex");
    expect(standIn.requests[0]!.json).toMatchObject({ model: "claude-opus-4-1@20250805", stream: true });
  });
});

describe("credentials and errors", () => {
  test("a subject token signed with another key: the exchange is refused, the model is never called, the operator is told", async () => {
    standIn.forgeSubjectToken();
    try {
      const error = (await send(client(), { model: "claude-sonnet-4-5", max_tokens: 5, messages: [] }).catch((e: unknown) => e)) as ProxyError;
      expect(error).toBeInstanceOf(ProxyError);
      expect([error.status, error.headers["x-should-retry"]]).toEqual([502, "false"]);
      expect(error.message).toStartWith("The proxy could not get Google credentials for Vertex.");
      expect(standIn.refused).toEqual(["subject token not signed by the test key"]);
      expect(standIn.requests.length).toBe(0);
    } finally {
      await standIn.stop(); // a fresh stand-in (and a genuine subject token) for the tests after this one
      standIn = await startVertexStandIn();
      process.env.GOOGLE_APPLICATION_CREDENTIALS = standIn.credentialsFile;
    }
  });

  test("the stand-in's model endpoint takes only tokens it minted: none, or one it never issued, is a 401 and nothing is recorded", async () => {
    const path = `${standIn.url}/projects/${STAND_IN_PROJECT}/locations/${STAND_IN_VERTEX_REGION}/publishers/anthropic/models/claude-opus-5-5:rawPredict`;
    const body = JSON.stringify({ anthropic_version: "vertex-2023-10-16", max_tokens: 5, messages: [] });
    for (const headers of [{}, { authorization: "Bearer ya29.standin-not-issued-here" }] as Record<string, string>[]) {
      const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
      expect(response.status).toBe(401);
    }
    expect(standIn.refused).toEqual(["no token minted here", "no token minted here"]);
    expect(standIn.requests.length).toBe(0);
  });

  test("Google's 403 becomes a permission_error naming the role to grant; the model's own errors pass as they are", async () => {
    const elsewhere = new VertexUpstream({ region: "europe-west1", projectId: STAND_IN_PROJECT, baseURL: standIn.url });
    const denied = await send(elsewhere, { model: "claude-sonnet-4-5", max_tokens: 5, messages: [] });
    expect(denied.status).toBe(403);
    const body = JSON.parse(await text(denied.body));
    expect(body.error.type).toBe("permission_error");
    expect(body.error.message).toBe(
      `Google Vertex: Permission denied on project ${STAND_IN_PROJECT} in europe-west1. (PERMISSION_DENIED). The proxy's Google identity needs the Vertex AI User role (aiplatform.endpoints.predict) on this project, and the model enabled in Model Garden.`,
    );
    standIn.script(respond.error(429, "rate_limit_error", "slow down", { "retry-after": "3" }));
    const limited = await send(client(), { model: "claude-sonnet-4-5", max_tokens: 5, messages: [] });
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "3"]);
    expect(JSON.parse(await text(limited.body)).error).toEqual({ type: "rate_limit_error", message: "slow down" });
  });

  test("a name that is no Claude model is a 400, nothing sent", async () => {
    const error = (await send(client(), { model: "gpt-4", max_tokens: 5, messages: [] }).catch((e: unknown) => e)) as ProxyError;
    expect([error.status, error.errorType]).toEqual([400, "invalid_request_error"]);
    expect(standIn.requests.length).toBe(0);
  });
});

test.each([
  ["claude-sonnet-4-5", "claude-sonnet-4-5@20250929"],
  ["claude-opus-4-1-20250805", "claude-opus-4-1@20250805"],
  ["claude-haiku-4-5@20251001", "claude-haiku-4-5@20251001"],
  ["claude-opus-5-5", "claude-opus-5-5"],
  ["gpt-4", undefined],
  ["m", undefined],
])("vertexModel(%p) → %p", (name, id) => expect(vertexModel(name)).toBe(id));

test("MODEL_MAP entries come first", () => expect(vertexModel("m", { m: "claude-test-m" })).toBe("claude-test-m"));
