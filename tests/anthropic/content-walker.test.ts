/**
 * The content walker as a table: each block shape and the strings it yields for masking and
 * restoring. A string missing here goes upstream in clear; an id or a type listed here would
 * be rewritten and break the API.
 */
import { describe, expect, test } from "bun:test";
import { blockSlots, requestSlots, responseSlots, type Slot } from "../../src/anthropic/content-walker.ts";

const valuesOf = (slots: Slot[]) => slots.map((slot) => [slot.kind, slot.get()]);
const ofBlock = (block: unknown) => {
  const slots: Slot[] = [];
  blockSlots(slots, block);
  return valuesOf(slots);
};

describe("blockSlots", () => {
  test.each([
    ["text", { type: "text", text: "T" }, [["text", "T"]]],
    [
      "text with citations: cited text, document title, title, url and source",
      { type: "text", text: "T", citations: [{ type: "char_location", cited_text: "C", document_title: "D", document_index: 0 }, { type: "web_search_result_location", cited_text: "W", title: "Page", url: "https://x", encrypted_index: "E" }] },
      [["text", "T"], ["text", "C"], ["text", "D"], ["text", "W"], ["text", "Page"], ["text", "https://x"]],
    ],
    ["thinking (its own kind, never the signature)", { type: "thinking", thinking: "H", signature: "SIG" }, [["thinking", "H"]]],
    [
      "tool_use: every member name and string of the input, deep",
      { type: "tool_use", id: "toolu_1", name: "Bash", input: { command: "C", args: ["A", { deep: "D" }], n: 1 } },
      [["text", "command"], ["text", "C"], ["text", "args"], ["text", "A"], ["text", "deep"], ["text", "D"], ["text", "n"]],
    ],
    ["server_tool_use", { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: { query: "Q" } }, [["text", "query"], ["text", "Q"]]],
    ["mcp_tool_use", { type: "mcp_tool_use", id: "mcptoolu_1", name: "n", server_name: "s", input: { q: "Q" } }, [["text", "q"], ["text", "Q"]]],
    [
      "server tool results: every string but ids and encrypted content",
      { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [{ type: "web_search_result", url: "https://u", title: "WT", encrypted_content: "ENC", page_age: "P" }] },
      [["text", "https://u"], ["text", "WT"], ["text", "P"]],
    ],
    [
      "code execution results: stdout, stderr",
      { type: "bash_code_execution_tool_result", tool_use_id: "srvtoolu_2", content: { type: "bash_code_execution_result", stdout: "OUT", stderr: "ERR", return_code: 0 } },
      [["text", "OUT"], ["text", "ERR"]],
    ],
    [
      "web fetch results: the document's url and text, never base64 data",
      { type: "web_fetch_tool_result", tool_use_id: "srvtoolu_3", content: { type: "web_fetch_result", url: "https://f", content: { type: "document", source: { type: "text", media_type: "text/plain", data: "PAGE" } } } },
      [["text", "https://f"], ["text", "PAGE"]],
    ],
    [
      "web fetch of a PDF: base64 data untouched",
      { type: "web_fetch_tool_result", tool_use_id: "srvtoolu_4", content: { type: "web_fetch_result", url: "https://p", content: { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBER" } } } },
      [["text", "https://p"]],
    ],
    ["a block type newer than the walker: every string but the opaque fields", { type: "future_block", id: "x1", note: "N", nested: { text: "NT" } }, [["text", "N"], ["text", "NT"]]],
    ["image from a url: the url; base64 images: nothing", { type: "image", source: { type: "url", url: "https://img" } }, [["text", "https://img"]]],
    ["tool_result as a string", { type: "tool_result", tool_use_id: "toolu_1", content: "R" }, [["text", "R"]]],
    ["tool_result as blocks", { type: "tool_result", tool_use_id: "toolu_1", content: [{ type: "text", text: "R1" }, { type: "image", source: { type: "base64", data: "AAAA" } }] }, [["text", "R1"]]],
    ["mcp_tool_result", { type: "mcp_tool_result", tool_use_id: "mcptoolu_1", content: [{ type: "text", text: "M" }] }, [["text", "M"]]],
    ["document with text source, title and context", { type: "document", source: { type: "text", media_type: "text/plain", data: "DOC" }, title: "TI", context: "CX" }, [["text", "DOC"], ["text", "TI"], ["text", "CX"]]],
    ["document with content source", { type: "document", source: { type: "content", content: [{ type: "text", text: "PART" }] } }, [["text", "PART"]]],
    ["document with base64 source: the data is never touched", { type: "document", source: { type: "base64", media_type: "application/pdf", data: "JVBER" }, title: "TI" }, [["text", "TI"]]],
    ["search_result: title, source and content", { type: "search_result", source: "https://wiki/x", title: "S", content: [{ type: "text", text: "SC" }] }, [["text", "S"], ["text", "https://wiki/x"], ["text", "SC"]]],
    ["empty strings are not slots", { type: "text", text: "" }, []],
    ["not an object", "just a string", []],
  ])("%s", (_name, block, expected) => {
    expect(ofBlock(block)).toEqual(expected as string[][]);
  });

  test("a slot writes back where it read", () => {
    const block = { type: "text", text: "T", citations: [{ cited_text: "C" }] };
    const slots: Slot[] = [];
    blockSlots(slots, block);
    slots.forEach((slot) => slot.set(`${slot.get()}!`));
    expect(block).toEqual({ type: "text", text: "T!", citations: [{ cited_text: "C!" }] });
  });
});

describe("requestSlots and responseSlots", () => {
  test("a request: system as a string or blocks, every message's content, tools (description, schema, examples), structured outputs, stop sequences, metadata", () => {
    const body = {
      model: "claude-x",
      system: [{ type: "text", text: "SYS" }],
      messages: [
        { role: "user", content: "U" },
        { role: "assistant", content: [{ type: "text", text: "A" }] },
      ],
      tools: [{ name: "Bash", description: "DESC", input_schema: { type: "object", properties: { id: { enum: ["E1"] } } }, input_examples: [{ id: "EX" }] }],
      output_format: { type: "json_schema", schema: { description: "OF" } },
      output_config: { format: { schema: { default: "OC" } } },
      stop_sequences: ["STOP"],
      metadata: { user_id: "u" },
    };
    expect(valuesOf(requestSlots(body)).map(([, value]) => value)).toEqual([
      "SYS", "U", "A", "DESC",
      "type", "object", "properties", "id", "enum", "E1",
      "id", "EX",
      "type", "json_schema", "schema", "description", "OF",
      "schema", "default", "OC",
      "STOP", "u",
    ]);
    expect(valuesOf(requestSlots({ system: "S", messages: [] }))).toEqual([["text", "S"]]);
  });

  test("a response message: its content blocks", () => {
    expect(valuesOf(responseSlots({ id: "msg_1", model: "m", content: [{ type: "text", text: "X" }, { type: "tool_use", id: "t", name: "n", input: { a: "Y" } }] }))).toEqual([
      ["text", "X"],
      ["text", "a"],
      ["text", "Y"],
    ]);
  });

  test("renaming a member keeps the members' order, and its value's slot follows the new name", () => {
    const block = { type: "tool_use", id: "t", name: "n", input: { first: "1", "i-0abc": "V", last: "2" } };
    const slots: Slot[] = [];
    blockSlots(slots, block);
    slots.find((slot) => slot.get() === "i-0abc")!.set("AWS_EC2_001");
    slots.find((slot) => slot.get() === "V")!.set("W");
    expect(JSON.stringify(block.input)).toBe('{"first":"1","AWS_EC2_001":"W","last":"2"}');
  });
});
