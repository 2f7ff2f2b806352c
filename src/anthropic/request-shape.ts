/**
 * The shapes of a Messages request that the content walker relies on. A body of another shape
 * (`messages` as a string, `content` as one object, a block without `type`, `system` as an
 * object) would be walked partly or not at all and forwarded with its secrets in clear: it is
 * refused with a 400 instead, naming the field. Checked per top-level member, so the re-sent
 * history path can check only the pieces it parses.
 */
type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function contentProblem(content: unknown, where: string): string | undefined {
  if (typeof content === "string") return undefined;
  if (!Array.isArray(content)) return `${where} must be a string or an array of content blocks`;
  for (let i = 0; i < content.length; i++) {
    const block = content[i];
    if (!isObject(block) || typeof block.type !== "string") return `${where}.${i} must be a content block object with a string "type"`;
    // Nested content (tool results, documents) is walked as blocks too.
    if (block.content !== undefined && (block.type === "tool_result" || block.type === "mcp_tool_result")) {
      const problem = contentProblem(block.content, `${where}.${i}.content`);
      if (problem) return problem;
    }
  }
  return undefined;
}

/** What is wrong with one message (`messages.<index>`), or undefined. */
export function messageProblem(message: unknown, index: number): string | undefined {
  const where = `messages.${index}`;
  if (!isObject(message)) return `${where} must be an object with "role" and "content"`;
  if (typeof message.role !== "string") return `${where}.role must be a string`;
  return contentProblem(message.content, `${where}.content`);
}

/** What is wrong with one top-level member of a request (`messages` as a whole included), or undefined. */
export function memberProblem(key: string, value: unknown): string | undefined {
  switch (key) {
    case "messages":
      if (!Array.isArray(value)) return "messages must be an array of messages";
      for (let i = 0; i < value.length; i++) {
        const problem = messageProblem(value[i], i);
        if (problem) return problem;
      }
      return undefined;
    case "system":
      return contentProblem(value, "system");
    case "tools":
      if (!Array.isArray(value)) return "tools must be an array of tool objects";
      for (let i = 0; i < value.length; i++) if (!isObject(value[i])) return `tools.${i} must be an object`;
      return undefined;
    case "stop_sequences":
      return Array.isArray(value) && value.every((item) => typeof item === "string") ? undefined : "stop_sequences must be an array of strings";
    case "metadata":
    case "output_format":
    case "output_config":
      return isObject(value) ? undefined : `${key} must be an object`;
    default:
      return undefined;
  }
}

/** The first problem with a request body's shape, or undefined. */
export function requestShapeProblem(body: Json): string | undefined {
  for (const [key, value] of Object.entries(body)) {
    const problem = memberProblem(key, value);
    if (problem) return problem;
  }
  return undefined;
}
