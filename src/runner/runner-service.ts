/**
 * The work behind POST /v1/claude-code and /v1/claude-code/analyze: validate the request,
 * confine the directory, start a run, and answer either with one JSON result or with the
 * CLI's stream-json lines as SSE while they arrive.
 */
import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ProxyError, badRequest } from "../server/errors.ts";
import { ANALYSIS_TYPES, ANALYZE_TOOLS, analysisPrompt, type AnalysisType } from "./analyze.ts";
import type { ClaudeRunner, Run, RunOptions } from "./claude-runner.ts";
import { confineTarget, confineWorkdir } from "./workdir.ts";

export const RunRequest = Type.Object({
  prompt: Type.String({ minLength: 1 }),
  allowed_tools: Type.Optional(Type.Union([Type.Array(Type.String({ minLength: 1 })), Type.String()])),
  system_prompt: Type.Optional(Type.String()),
  working_directory: Type.Optional(Type.String()),
  model: Type.Optional(Type.String({ minLength: 1 })),
  max_turns: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  stream: Type.Optional(Type.Boolean()),
});

export const AnalyzeRequest = Type.Object({
  code_path: Type.String({ minLength: 1 }),
  analysis_type: Type.String(),
  specific_prompt: Type.Optional(Type.String()),
  model: Type.Optional(Type.String({ minLength: 1 })),
  stream: Type.Optional(Type.Boolean()),
});

function validate<T extends typeof RunRequest | typeof AnalyzeRequest>(schema: T, body: unknown): Static<T> {
  const first = Value.Errors(schema, body).First();
  if (first) throw badRequest(`Invalid request field ${first.path || "(body)"}: ${first.message}.`);
  return body as Static<T>;
}

const brokenCli = () =>
  new ProxyError(503, "api_error", "The claude CLI did not run; check CLAUDE_BIN (run `proxy verify-setup` on the proxy host).");

export interface RunResult {
  result: string;
  is_error: boolean;
  num_turns: number;
  usage: unknown;
  total_cost_usd: number;
  session_id: string;
}

export class RunnerService {
  constructor(private readonly runner: ClaudeRunner, private readonly workdirRoot: string) {}

  async run(body: unknown, callerKey: string, signal: AbortSignal): Promise<Response> {
    const request = validate(RunRequest, body);
    const tools = typeof request.allowed_tools === "string" ? request.allowed_tools.split(",").map((t) => t.trim()).filter(Boolean) : request.allowed_tools;
    return this.execute(
      {
        prompt: request.prompt,
        allowedTools: tools,
        systemPrompt: request.system_prompt,
        model: request.model,
        maxTurns: request.max_turns,
        cwd: confineWorkdir(this.workdirRoot, request.working_directory),
        callerKey,
      },
      request.stream ?? false,
      signal,
    );
  }

  async analyze(body: unknown, callerKey: string, signal: AbortSignal): Promise<Response> {
    const request = validate(AnalyzeRequest, body);
    if (!ANALYSIS_TYPES.includes(request.analysis_type as AnalysisType)) {
      throw badRequest(`analysis_type must be one of ${ANALYSIS_TYPES.join(", ")}.`);
    }
    const { cwd, target } = confineTarget(this.workdirRoot, request.code_path);
    return this.execute(
      {
        prompt: analysisPrompt(request.analysis_type as AnalysisType, target, request.specific_prompt),
        allowedTools: ANALYZE_TOOLS,
        tools: ANALYZE_TOOLS,
        model: request.model,
        cwd,
        callerKey,
      },
      request.stream ?? false,
      signal,
    );
  }

  private async execute(options: RunOptions, stream: boolean, signal: AbortSignal): Promise<Response> {
    const run = this.runner.start(options);
    const onClientGone = () => run.kill();
    signal.addEventListener("abort", onClientGone, { once: true });
    const lines = run.lines[Symbol.asyncIterator]();
    // Wait for the first line before answering, so a broken CLI is a 503 and not an empty stream.
    const first = await lines.next();
    if (first.done) {
      const { exitCode } = await run.exited;
      signal.removeEventListener("abort", onClientGone);
      if (exitCode !== 0) throw brokenCli();
    }
    return stream ? this.streamResponse(run, first, lines, () => signal.removeEventListener("abort", onClientGone)) : this.jsonResponse(run, first, lines, signal, onClientGone);
  }

  private async jsonResponse(run: Run, first: IteratorResult<string>, lines: AsyncIterator<string>, signal: AbortSignal, onClientGone: () => void) {
    let result: Record<string, any> | undefined;
    for (let next = first; !next.done; next = await lines.next()) {
      const event = parseLine(next.value);
      if (event?.type === "result") result = event;
    }
    const { timedOut } = await run.exited;
    signal.removeEventListener("abort", onClientGone);
    if (timedOut) throw new ProxyError(504, "api_error", "The Claude Code run exceeded CLAUDE_TIMEOUT and was stopped.");
    if (!result) throw brokenCli();
    const answer: RunResult = {
      result: typeof result.result === "string" ? result.result : "",
      is_error: result.is_error === true,
      num_turns: result.num_turns ?? 0,
      usage: result.usage ?? null,
      total_cost_usd: result.total_cost_usd ?? 0,
      session_id: result.session_id ?? "",
    };
    return Response.json(answer);
  }

  private streamResponse(run: Run, first: IteratorResult<string>, lines: AsyncIterator<string>, done: () => void) {
    const encoder = new TextEncoder();
    let pending: IteratorResult<string> | undefined = first;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = pending ?? (await lines.next());
        pending = undefined;
        if (next.done) {
          const { timedOut } = await run.exited;
          if (timedOut) {
            controller.enqueue(encoder.encode(`event: error\ndata: ${JSON.stringify({ type: "error", error: { type: "api_error", message: "The Claude Code run exceeded CLAUDE_TIMEOUT and was stopped." } })}\n\n`));
          }
          done();
          return controller.close();
        }
        const type = parseLine(next.value)?.type;
        controller.enqueue(encoder.encode(`event: ${typeof type === "string" ? type : "message"}\ndata: ${next.value}\n\n`));
      },
      cancel() {
        run.kill();
        done();
      },
    });
    return new Response(body, { headers: { "content-type": "text/event-stream", "cache-control": "no-cache" } });
  }
}

function parseLine(line: string): Record<string, any> | undefined {
  try {
    const value = JSON.parse(line);
    return typeof value === "object" && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}
