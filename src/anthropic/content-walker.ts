/**
 * Finds every string of a Messages API body that carries user, model or tool content, as
 * slots that can be read and replaced in place. Requests are masked and responses restored
 * through the same block walker, so whatever the client sees restored is masked again,
 * identically, when Claude Code sends it back next turn.
 *
 * Never touched: keys, ids, `type`, `name`, `model`, `signature`, base64 `data`,
 * `cache_control`, and anything of an unknown block type (new API features pass through).
 */

export type SlotKind = "text" | "thinking";

export interface Slot {
  readonly kind: SlotKind;
  get(): string;
  set(value: string): void;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function slot(container: Json | unknown[], key: string | number, kind: SlotKind = "text"): Slot {
  const target = container as Record<string | number, unknown>;
  return { kind, get: () => target[key] as string, set: (value) => void (target[key] = value) };
}

function pushIfString(slots: Slot[], container: Json, key: string, kind: SlotKind = "text") {
  if (typeof container[key] === "string" && container[key] !== "") slots.push(slot(container, key, kind));
}

/**
 * Every string value (not key) anywhere inside a tool input, depth first in document order.
 * With an explicit stack, not recursion: however deep a client nests its input, the walker
 * cannot overflow the call stack (request bodies are also refused beyond MAX_JSON_DEPTH).
 */
function deepStrings(slots: Slot[], root: unknown) {
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
    const value = (frame.container as Record<string | number, unknown>)[key];
    if (typeof value === "string") slots.push(slot(frame.container, key));
    else enter(value);
  }
}

function citationSlots(slots: Slot[], citations: unknown) {
  if (!Array.isArray(citations)) return;
  for (const citation of citations) {
    if (!isObject(citation)) continue;
    pushIfString(slots, citation, "cited_text");
    pushIfString(slots, citation, "document_title");
    pushIfString(slots, citation, "title");
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
      deepStrings(slots, block.input);
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
  }
}

/** Slots of a request body: `system`, every message's content, tool descriptions. */
export function requestSlots(body: Json): Slot[] {
  const slots: Slot[] = [];
  contentSlots(slots, body, "system");
  if (Array.isArray(body.messages)) {
    for (const message of body.messages) if (isObject(message)) contentSlots(slots, message, "content");
  }
  // MCP tool descriptions often name accounts and buckets; they are masked like prose.
  if (Array.isArray(body.tools)) for (const tool of body.tools) if (isObject(tool)) pushIfString(slots, tool, "description");
  return slots;
}

/** Slots of a non-streaming response message. */
export function responseSlots(message: Json): Slot[] {
  const slots: Slot[] = [];
  if (Array.isArray(message.content)) for (const block of message.content) blockSlots(slots, block);
  return slots;
}
