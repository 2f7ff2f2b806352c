/**
 * Finds every string of a Messages API body that carries user, model or tool content, as
 * slots that can be read and replaced in place. Requests are masked and responses restored
 * through the same block walker, so whatever the client sees restored is masked again,
 * identically, when Claude Code sends it back next turn.
 *
 * Walked: `system`, every message's content (all block types, server tool results included),
 * tool descriptions, input schemas and examples, structured-output schemas, `stop_sequences`,
 * `metadata.user_id`, citations. Blocks of a type this walker does not know are walked whole
 * (every string but the opaque fields below): a new API feature must not carry secrets out.
 * Tool inputs and schemas have their member names walked too: a name can hold an identifier,
 * and the stream restorer restores names, so masking must cover them.
 *
 * Never touched: ids, `type`, `name`, `model`, `role`, `signature`, base64 `data`,
 * `encrypted_content`/`encrypted_index`, `media_type`, `cache_control`: the provider needs
 * them as they are.
 */

export type SlotKind = "text" | "thinking";

export interface Slot {
  readonly kind: SlotKind;
  get(): string;
  set(value: string): void;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Fields of a block that are the provider's or the client's own handles, never content. */
const OPAQUE_FIELDS = new Set(["type", "id", "tool_use_id", "name", "signature", "encrypted_content", "encrypted_index", "media_type", "cache_control", "role", "model"]);

function slot(container: Json | unknown[], key: string | number, kind: SlotKind = "text"): Slot {
  const target = container as Record<string | number, unknown>;
  return { kind, get: () => target[key] as string, set: (value) => void (target[key] = value) };
}

function pushIfString(slots: Slot[], container: Json, key: string, kind: SlotKind = "text") {
  if (typeof container[key] === "string" && container[key] !== "") slots.push(slot(container, key, kind));
}

/**
 * A member name as a slot: setting it renames the member in place, keeping the members' order
 * (JSON.stringify writes them in insertion order).
 */
function nameSlot(container: Json, name: string): Slot {
  let current = name;
  return {
    kind: "text",
    get: () => current,
    set: (value) => {
      if (value === current) return;
      const entries = Object.entries(container);
      for (const [key] of entries) delete container[key];
      for (const [key, member] of entries) container[key === current ? value : key] = member;
      current = value;
    },
  };
}

/**
 * Every string anywhere inside a value, depth first in document order: with `names`, member
 * names too (before their values); `skip` names members left alone. With an explicit stack,
 * not recursion: however deep a client nests its input, the walker cannot overflow the call
 * stack (request bodies are also refused beyond MAX_JSON_DEPTH).
 */
function deepStrings(slots: Slot[], root: unknown, options: { names?: boolean; skip?: (container: Json, key: string) => boolean } = {}) {
  const frames: { container: Json | unknown[]; keys: readonly (string | number)[]; next: number }[] = [];
  const enter = (value: unknown) => {
    if (Array.isArray(value)) frames.push({ container: value, keys: value.map((_, index) => index), next: 0 });
    else if (isObject(value)) frames.push({ container: value, keys: Object.keys(value), next: 0 });
  };
  enter(root);
  while (frames.length > 0) {
    const frame = frames.at(-1)!;
    if (frame.next === frame.keys.length) {
      frames.pop();
      continue;
    }
    const key = frame.keys[frame.next++]!;
    if (typeof key === "string" && options.skip?.(frame.container as Json, key)) continue;
    const value = (frame.container as Record<string | number, unknown>)[key];
    // The name's slot reads the value through the container at the time it is set, so the value's own slot stays valid after a rename.
    if (options.names && typeof key === "string" && key !== "") slots.push(nameSlot(frame.container as Json, key));
    if (typeof value === "string") slots.push(options.names && typeof key === "string" ? memberValueSlot(frame.container as Json, key, slots.at(-1)!) : slot(frame.container, key));
    else enter(value);
  }
}

/** The value of a member whose name may be renamed by `name` (its slot) before the value is set. */
function memberValueSlot(container: Json, _key: string, name: Slot): Slot {
  return { kind: "text", get: () => container[name.get()] as string, set: (value) => void (container[name.get()] = value) };
}

function citationSlots(slots: Slot[], citations: unknown) {
  if (!Array.isArray(citations)) return;
  for (const citation of citations) {
    if (!isObject(citation)) continue;
    pushIfString(slots, citation, "cited_text");
    pushIfString(slots, citation, "document_title");
    pushIfString(slots, citation, "title");
    pushIfString(slots, citation, "url");
    pushIfString(slots, citation, "source");
  }
}

/** Content given either as a plain string (in `container[key]`) or as an array of blocks. */
function contentSlots(slots: Slot[], container: Json, key: string) {
  const content = container[key];
  if (typeof content === "string") pushIfString(slots, container, key);
  else if (Array.isArray(content)) for (const block of content) blockSlots(slots, block);
}

export function blockSlots(slots: Slot[], block: unknown) {
  if (!isObject(block)) return;
  switch (block.type) {
    case "text":
      pushIfString(slots, block, "text");
      citationSlots(slots, block.citations);
      break;
    case "thinking":
      pushIfString(slots, block, "thinking", "thinking");
      break;
    case "tool_use":
    case "server_tool_use":
    case "mcp_tool_use":
      deepStrings(slots, block.input, { names: true });
      break;
    case "tool_result":
    case "mcp_tool_result":
      contentSlots(slots, block, "content");
      break;
    case "document":
      if (isObject(block.source)) {
        if (block.source.type === "text") pushIfString(slots, block.source, "data");
        if (block.source.type === "content") contentSlots(slots, block.source, "content");
      }
      pushIfString(slots, block, "title");
      pushIfString(slots, block, "context");
      break;
    case "search_result":
      pushIfString(slots, block, "title");
      pushIfString(slots, block, "source");
      contentSlots(slots, block, "content");
      break;
    case "image":
    case "redacted_thinking":
      // Base64 pixels and the provider's encrypted reasoning: nothing to read, nothing to mask.
      if (isObject(block.source) && block.source.type === "url") pushIfString(slots, block.source, "url");
      break;
    default:
      // Server tool results (web fetch, code execution, bash, text editor, web search) and
      // block types newer than this walker: every string but the opaque fields.
      deepStrings(slots, block, { skip: opaqueOrBase64 });
  }
}

/** What a block of an unknown type keeps as it is: opaque fields, and `data` unless it is a text source's. */
const opaqueOrBase64 = (container: Json, key: string) => OPAQUE_FIELDS.has(key) || (key === "data" && container.type !== "text");

/** Slots of a request body: every field a user, a tool or an MCP server can fill. */
export function requestSlots(body: Json): Slot[] {
  const slots: Slot[] = [];
  contentSlots(slots, body, "system");
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) if (isObject(message)) contentSlots(slots, message, "content");
  }
  // MCP servers fill tool descriptions, schemas (enums, defaults, descriptions) and examples.
  if (Array.isArray(body.tools)) {
    for (const tool of body.tools) {
      if (!isObject(tool)) continue;
      pushIfString(slots, tool, "description");
      deepStrings(slots, tool.input_schema, { names: true });
      deepStrings(slots, tool.input_examples, { names: true });
    }
  }
  // Structured outputs: the schema the answer must follow.
  if (isObject(body.output_format)) deepStrings(slots, body.output_format, { names: true });
  if (isObject(body.output_config) && isObject(body.output_config.format)) deepStrings(slots, body.output_config.format, { names: true });
  if (Array.isArray(body.stop_sequences)) body.stop_sequences.forEach((value, i) => typeof value === "string" && value !== "" && slots.push(slot(body.stop_sequences as unknown[], i)));
  if (isObject(body.metadata)) pushIfString(slots, body.metadata, "user_id");
  return slots;
}

/** Slots of a non-streaming response message. */
export function responseSlots(message: Json): Slot[] {
  const slots: Slot[] = [];
  if (Array.isArray(message.content)) for (const block of message.content) blockSlots(slots, block);
  return slots;
}
