/** What the request log may say about a request's model and stream flag. */
import { expect, test } from "bun:test";
import { requestFacts, requestFactsFromJson } from "../../src/proxy/request-facts.ts";

test("a model name is logged as it is; anything else a client can put there is not", () => {
  expect(requestFacts("claude-sonnet-4-5-20250929", true)).toEqual({ model: "claude-sonnet-4-5-20250929", stream: true });
  expect(requestFacts("us.anthropic.claude-opus-4-1-20250805-v1:0", false)).toEqual({ model: "us.anthropic.claude-opus-4-1-20250805-v1:0", stream: false });
  // A hostile client's model field holding a secret, prose, or something that is not a string.
  expect(requestFacts("password=Hunter2 and more", "yes")).toEqual({ model: "other", stream: undefined });
  expect(requestFacts("x".repeat(101), undefined)).toEqual({ model: "other", stream: undefined });
  expect(requestFacts({ name: "m" }, 1)).toEqual({ model: undefined, stream: undefined });
  // A Bedrock application inference profile's ARN names the account: never in the log.
  expect(requestFacts("arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3", true)).toEqual({ model: "arn", stream: true });
});

test("from the members' JSON (the re-sent history path)", () => {
  expect(requestFactsFromJson('"claude-haiku-4-5"', "true")).toEqual({ model: "claude-haiku-4-5", stream: true });
  expect(requestFactsFromJson(undefined, undefined)).toEqual({ model: undefined, stream: undefined });
  expect(requestFactsFromJson("{not json", "false")).toEqual({ model: undefined, stream: false });
});
