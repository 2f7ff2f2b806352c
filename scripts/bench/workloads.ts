/**
 * Benchmark request bodies shaped like Claude Code's: system text blocks, tool definitions,
 * and turns of tool_use / tool_result carrying AWS CLI output and logs, with secrets spread
 * through them. Deterministic (seeded) so every run sends the same bytes.
 */
import { seededRandom } from "../../tests/fixtures/sse-builder.ts";
import { mixedCorpus, secretValue } from "../../tests/masking/corpus.ts";

type Message = { role: "user" | "assistant"; content: unknown };

function toolDefinitions(): unknown[] {
  return Array.from({ length: 18 }, (_, i) => ({
    name: `Tool${i}`,
    description: `Tool ${i}: ${"Runs a command or reads files in the workspace and returns the output. ".repeat(12)}`,
    input_schema: {
      type: "object",
      properties: { command: { type: "string", description: "The command to run" }, timeout: { type: "number" } },
      required: ["command"],
    },
  }));
}

function turns(count: number, bytesPerResult: number, secrets: number, seed: number): Message[] {
  const random = seededRandom(seed);
  const messages: Message[] = [];
  let secretsLeft = secrets;
  for (let i = 0; i < count; i++) {
    let output = mixedCorpus(bytesPerResult, seed + i, 1_000_000);
    // Spread the requested number of secrets evenly over the turns.
    const here = Math.round(((i + 1) * secrets) / count) - (secrets - secretsLeft);
    for (let s = 0; s < here; s++) {
      const at = Math.floor(random() * output.length);
      output = `${output.slice(0, at)} ${secretValue(random)} ${output.slice(at)}`;
    }
    secretsLeft -= here;
    messages.push({ role: "assistant", content: [{ type: "tool_use", id: `toolu_${seed}_${i}`, name: "Bash", input: { command: `aws ec2 describe-instances --page ${i}` } }] });
    messages.push({ role: "user", content: [{ type: "tool_result", tool_use_id: `toolu_${seed}_${i}`, content: output }] });
  }
  return messages;
}

/**
 * `extraTurn`: the same history plus one more tool turn (with one secret of its own), as
 * Claude Code sends it next; each seed gives a different new turn.
 */
export function claudeCodeRequest(options: { turns: number; bytesPerResult: number; secrets: number; stream?: boolean; extraTurn?: boolean | number }) {
  const history = turns(options.turns, options.bytesPerResult, options.secrets, 99);
  const messages: Message[] = [{ role: "user", content: [{ type: "text", text: "Find out why the web tier is slow." }] }, ...history];
  if (options.extraTurn !== undefined && options.extraTurn !== false) {
    const seed = options.extraTurn === true ? 5_000 : options.extraTurn;
    messages.push(...turns(1, options.bytesPerResult, 1, seed), { role: "user", content: "And now?" });
  } else messages.push({ role: "user", content: "Summarise." });
  return {
    model: "claude-sonnet-4-5",
    max_tokens: 4096,
    stream: options.stream ?? false,
    system: [
      { type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." },
      { type: "text", text: `Working directory: /home/dev/infra\nGit status: clean\nRecent commits:\n${mixedCorpus(4_000, 3, 1_000_000)}`, cache_control: { type: "ephemeral" } },
    ],
    tools: toolDefinitions(),
    messages,
  };
}

export function chatRequest() {
  return {
    model: "claude-sonnet-4-5",
    max_tokens: 1024,
    messages: [{ role: "user", content: `Why does i-0a1b2c3d4e5f67890 fail health checks? ${mixedCorpus(1_800, 21, 1_000_000)}` }],
  };
}
