/**
 * The benchmark's Bedrock upstream, in its own process as the Anthropic one is: the SigV4-
 * verifying stand-in (tests/fixtures/bedrock-upstream.ts) answering every call at once with the
 * same answers as scripts/bench/upstream-server.ts, framed for Bedrock once at start.
 * Prints its URL as one JSON line.
 */
import { eventStreamOf, startBedrockStandIn } from "../../tests/fixtures/bedrock-upstream.ts";
import { encodeSse, finalMessage, messageEvents } from "../../tests/fixtures/sse-builder.ts";

const words = Array.from({ length: 2000 }, (_, i) => (i % 25 === 0 ? "AWS_EC2_001 " : "token "));
const stream = eventStreamOf(encodeSse(messageEvents({ content: [{ type: "text", text: words.join("") }] }, { textChunk: 6 })));
const message = JSON.stringify(finalMessage({ content: [{ type: "text", text: "The instance AWS_EC2_001 is healthy." }] }));
const standIn = await startBedrockStandIn({ fixed: { stream, message } });
console.log(JSON.stringify({ url: standIn.url }));
