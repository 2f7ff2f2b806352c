/**
 * Which Bedrock model (or cross-region inference profile) serves each model name a client
 * sends. Claude Code and the SDK send Anthropic names (`claude-sonnet-4-5-20250929`, aliases
 * such as `claude-sonnet-4-5`); Bedrock wants its own IDs. The built-in table covers the
 * models the pinned Claude Code knows, through the US cross-region inference profiles (the IDs
 * Claude Code itself uses in Bedrock mode); `MODEL_MAP` (JSON, or `@path` to a JSON
 * file) adds to it or overrides it. A Bedrock ID sent as it is (Claude Code in Bedrock mode
 * does) is served as it is. Anything else is a clear 400, never a guess.
 */
import { readFileSync } from "node:fs";

export const DEFAULT_MODEL_MAP: Readonly<Record<string, string>> = {
  "claude-opus-5-5": "us.anthropic.claude-opus-5-5",
  "claude-opus-5": "us.anthropic.claude-opus-5",
  "claude-opus-4-8": "us.anthropic.claude-opus-4-8",
  "claude-opus-4-7": "us.anthropic.claude-opus-4-7",
  "claude-opus-4-6": "us.anthropic.claude-opus-4-6-v1",
  "claude-opus-4-5-20251101": "us.anthropic.claude-opus-4-5-20251101-v1:0",
  "claude-opus-4-5": "us.anthropic.claude-opus-4-5-20251101-v1:0",
  "claude-sonnet-5-5": "us.anthropic.claude-sonnet-5-5",
  "claude-sonnet-5": "us.anthropic.claude-sonnet-5",
  "claude-sonnet-4-6": "us.anthropic.claude-sonnet-4-6",
  "claude-haiku-5-5": "us.anthropic.claude-haiku-5-5",
  "claude-fable-5-2": "us.anthropic.claude-fable-5-2",
  "claude-fable-5-1": "us.anthropic.claude-fable-5-1",
  "claude-fable-5": "us.anthropic.claude-fable-5",
  "claude-mythos-5": "us.anthropic.claude-mythos-5",
  "claude-3-5-sonnet-20241022": "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
  "claude-opus-4-1-20250805": "us.anthropic.claude-opus-4-1-20250805-v1:0",
  "claude-opus-4-1": "us.anthropic.claude-opus-4-1-20250805-v1:0",
  "claude-opus-4-20250514": "us.anthropic.claude-opus-4-20250514-v1:0",
  "claude-opus-4-0": "us.anthropic.claude-opus-4-20250514-v1:0",
  "claude-sonnet-4-5-20250929": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
  "claude-sonnet-4-5": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
  "claude-sonnet-4-20250514": "us.anthropic.claude-sonnet-4-20250514-v1:0",
  "claude-sonnet-4-0": "us.anthropic.claude-sonnet-4-20250514-v1:0",
  "claude-haiku-4-5-20251001": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  "claude-haiku-4-5": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
  "claude-3-7-sonnet-20250219": "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
  "claude-3-5-haiku-20241022": "us.anthropic.claude-3-5-haiku-20241022-v1:0",
};

/** A Bedrock model ID or inference profile (`anthropic.claude-…-v1:0`, `us.anthropic.…`, an ARN). */
const BEDROCK_ID = /^(?:(?:[a-z]{2,4}|global)\.)?anthropic\.claude-[a-z0-9.:-]+$|^arn:aws[a-z-]*:bedrock:/;

export class ModelMap {
  constructor(readonly table: Readonly<Record<string, string>>) {}

  /** The Bedrock ID for `model`, or undefined when nothing maps it. */
  bedrockId(model: string): string | undefined {
    if (BEDROCK_ID.test(model)) return model;
    return this.table[model];
  }

  /**
   * The Anthropic name for a Bedrock ID (Claude Code in Bedrock mode, forwarded to Anthropic's
   * API): the table's dated name, or the ID without its region, vendor and version parts
   * (`us.anthropic.claude-sonnet-4-5-20250929-v1:0` → `claude-sonnet-4-5-20250929`).
   */
  anthropicName(bedrockId: string): string {
    return this.namesOf(bedrockId)[0] ?? /^(?:(?:[a-z]{2,4}|global)\.)?anthropic\.(claude-[a-z0-9.-]+?)(?:-v\d+(?::\d+)?)?$/.exec(bedrockId)?.[1] ?? bedrockId;
  }

  /** The Bedrock IDs the table serves, as Claude Code's inference-profile listing shows them. */
  bedrockIds(): string[] {
    return [...new Set(Object.values(this.table))];
  }

  /** Anthropic names to show for a Bedrock ID (for model listings): the dated names first. */
  namesOf(bedrockId: string): string[] {
    return Object.entries(this.table)
      .filter(([, id]) => id === bedrockId)
      .map(([name]) => name)
      .sort((a, b) => b.length - a.length);
  }
}

/** The built-in table, with `MODEL_MAP` (a JSON object, or `@file` holding one) over it. */
/** MODEL_MAP's JSON object (inline, or `@file`), checked to be names to strings. */
export function readModelMapSpec(spec: string): Record<string, string> {
  const text = spec.startsWith("@") ? readFileSync(spec.slice(1), "utf8") : spec;
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((id) => typeof id !== "string")) {
    throw new Error("MODEL_MAP must be a JSON object of model name → provider model ID");
  }
  return parsed as Record<string, string>;
}

export function loadModelMap(spec: string | undefined): ModelMap {
  if (!spec) return new ModelMap(DEFAULT_MODEL_MAP);
  const parsed = readModelMapSpec(spec);
  for (const [name, id] of Object.entries(parsed)) {
    if (typeof id !== "string" || !BEDROCK_ID.test(id)) throw new Error(`MODEL_MAP: ${JSON.stringify(name)} maps to ${JSON.stringify(id)}, which is not a Bedrock model ID (anthropic.claude-…-v1:0, us.anthropic.…, or an ARN)`);
  }
  return new ModelMap({ ...DEFAULT_MODEL_MAP, ...(parsed as Record<string, string>) });
}
