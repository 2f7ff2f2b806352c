/**
 * The labelled corpus through `/v1/messages`: every document is sent as the tool result of a
 * Claude Code-shaped turn to the whole proxy (in this process, on loopback, embedded SQLite
 * store), and what the scripted upstream received is scored with the corpus's own scorer. The
 * figure that matters is the upstream's: how many labelled values reached it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startScriptedUpstream } from "../tests/fixtures/scripted-upstream.ts";
import { startTestProxy } from "../tests/helpers/test-proxy.ts";

interface Doc {
  id: string;
  text: string;
}

const readJsonl = (path: string): Doc[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Doc);

/** A turn in which the model ran a tool and the document is what the tool printed. */
function turn(doc: Doc): string {
  return JSON.stringify({
    model: "claude-sonnet-4-5-20250929",
    max_tokens: 256,
    messages: [
      { role: "user", content: "Look at this output and tell me what is wrong." },
      { role: "assistant", content: [{ type: "tool_use", id: "toolu_eval", name: "Bash", input: { command: "cat output.txt" } }] },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_eval", content: doc.text }] },
    ],
  });
}

/** Sends every document and returns, per id, the text the upstream received in its place. */
async function sendAll(docs: Doc[]): Promise<Map<string, string>> {
  const upstream = await startScriptedUpstream();
  const proxy = await startTestProxy({ upstreamUrl: upstream.url });
  const received = new Map<string, string>();
  try {
    for (const doc of docs) {
      const response = await fetch(`${proxy.url}/v1/messages`, { method: "POST", headers: { "x-api-key": proxy.key, "content-type": "application/json" }, body: turn(doc) });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${doc.id}: HTTP ${response.status}`);
      const sent = upstream.requests.at(-1)!.json;
      received.set(doc.id, sent.messages[2].content[0].content as string);
    }
  } finally {
    await proxy.stop();
    await upstream.stop();
  }
  return received;
}

export interface MessagesScore {
  recall: number;
  leaks: number;
  documents: number;
}

/** Scores what reached the upstream, with score.py reading it back as a batch command's output. */
export async function scoreThroughMessages(evalDir: string): Promise<MessagesScore> {
  const corpus = join(evalDir, "corpus.jsonl");
  const negatives = join(evalDir, "negatives.jsonl");
  const docs = [...readJsonl(corpus), ...readJsonl(negatives)];
  const received = await sendAll(docs);
  const work = mkdtempSync(join(tmpdir(), "cmp-eval-messages-"));
  try {
    const recorded = join(work, "received.jsonl");
    writeFileSync(recorded, docs.map((doc) => `${JSON.stringify({ id: doc.id, masked: received.get(doc.id) })}\n`).join(""));
    // Answers each input line with what the upstream received for that id.
    const replay = `import json,sys; m={json.loads(l)["id"]:l for l in open(${JSON.stringify(recorded)})}; [sys.stdout.write(m[json.loads(l)["id"]]) for l in open(sys.argv[1]) if l.strip()]`;
    const reportPath = join(work, "report.json");
    const run = Bun.spawnSync(["python3", join(evalDir, "score.py"), "--batch", `python3 -c '${replay}' {input}`, "--report", reportPath], { stdout: "pipe", stderr: "pipe" });
    if (run.exitCode !== 0) throw new Error(`score.py exited ${run.exitCode}: ${run.stderr.toString().slice(-2000)}`);
    const report = JSON.parse(readFileSync(reportPath, "utf8")) as { recall: number; leaks: number };
    return { recall: report.recall, leaks: report.leaks, documents: docs.length };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
