/**
 * The work behind POST /v1/claude-code and /v1/claude-code/analyze: validate the request,
 * confine the directory, start a run, and hand back either one result or the CLI's
 * stream-json lines as they arrive. The HTTP shape (JSON or SSE) is the route's job.
 */
import { Type, type Static } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { ProxyError, badRequest } from "../errors.ts";
import { ANALYSIS_TYPES, ANALYZE_TOOLS, analysisPrompt, type AnalysisType } from "./analyze.ts";
import type { ClaudeRunner, Run, RunOptions } from "./claude-runner.ts";
import { confineTarget, confineWorkdir, scratchWorkdir } from "./workdir.ts";

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
  new ProxyError(503, "api_error", "The claude CLI did not run; check CLAUDE_BIN (run `claude-masking-proxy verify-setup` on the proxy host).");

/** A streamed run: each stream-json line with its `type`, or a closing error. */
export type RunEvent = { kind: "line"; type: string; line: string } | { kind: "error"; message: string };

export type RunOutcome =
  | { kind: "result"; result: RunResult }
  | {
      kind: "stream";
      events: AsyncIterator<RunEvent>;
      /** The client went away: kill the run. */
      cancel(): void;
    };

const TIMED_OUT = "The Claude Code run exceeded CLAUDE_TIMEOUT and was stopped.";

export interface RunResult {
  result: string;
  is_error: boolean;
  num_turns: number;
  usage: unknown;
  total_cost_usd: number;
  session_id: string;
}

/** Who asks for a run: limits are per tenant, and the child talks to the proxy with this key. */
export interface RunCaller {
  tenant: string;
  key: string;
}

export class RunnerService {
  constructor(private readonly runner: ClaudeRunner, private readonly workdirRoot: string) {}

  async run(body: unknown, caller: RunCaller, signal: AbortSignal): Promise<RunOutcome> {
    const request = validate(RunRequest, body);
    const tools = typeof request.allowed_tools === "string" ? request.allowed_tools.split(",").map((t) => t.trim()).filter(Boolean) : request.allowed_tools;
    // Without a working directory a run gets an empty one of its own, removed when it ends.
    const scratch = request.working_directory ? undefined : scratchWorkdir();
    const cwd = scratch?.path ?? confineWorkdir(this.workdirRoot, request.working_directory);
    const options = { prompt: request.prompt, allowedTools: tools, systemPrompt: request.system_prompt, model: request.model, maxTurns: request.max_turns, cwd, tenant: caller.tenant, callerKey: caller.key };
    return this.execute(options, request.stream ?? false, signal, scratch?.remove);
  }

  async analyze(body: unknown, caller: RunCaller, signal: AbortSignal): Promise<RunOutcome> {
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
        tenant: caller.tenant,
        callerKey: caller.key,
      },
      request.stream ?? false,
      signal,
    );
  }

  private async execute(options: RunOptions, stream: boolean, signal: AbortSignal, cleanup?: () => void): Promise<RunOutcome> {
    let run: Run;
    try {
      run = this.runner.start(options);
    } catch (error) {
      cleanup?.();
      throw error;
    }
    if (cleanup) void run.exited.finally(cleanup);
    const onClientGone = () => run.kill();
    signal.addEventListener("abort", onClientGone, { once: true });
    const stopWatching = () => signal.removeEventListener("abort", onClientGone);
    const lines = run.lines[Symbol.asyncIterator]();
    // Wait for the first line before answering, so a broken CLI is a 503 and not an empty stream.
    const first = await lines.next();
    if (first.done) {
      const { exitCode } = await run.exited;
      stopWatching();
      if (exitCode !== 0) throw brokenCli();
    }
    if (!stream) {
      try {
        return { kind: "result", result: await collectResult(run, first, lines) };
      } finally {
        stopWatching();
      }
    }
    return {
      kind: "stream",
      events: streamEvents(run, first, lines, stopWatching),
      cancel: () => {
        run.kill();
        stopWatching();
      },
    };
  }
}

/** Reads the run to its end and keeps its `result` line. */
async function collectResult(run: Run, first: IteratorResult<string>, lines: AsyncIterator<string>): Promise<RunResult> {
  let result: Record<string, any> | undefined;
  for (let next = first; !next.done; next = await lines.next()) {
    const event = parseLine(next.value);
    if (event?.type === "result") result = event;
  }
  const { timedOut } = await run.exited;
  if (timedOut) throw new ProxyError(504, "api_error", TIMED_OUT);
  if (!result) throw brokenCli();
  return {
    result: typeof result.result === "string" ? result.result : "",
    is_error: result.is_error === true,
    num_turns: result.num_turns ?? 0,
    usage: result.usage ?? null,
    total_cost_usd: result.total_cost_usd ?? 0,
    session_id: result.session_id ?? "",
  };
}

/** The run's lines as events, then a timeout error if the run was stopped for CLAUDE_TIMEOUT. */
async function* streamEvents(run: Run, first: IteratorResult<string>, lines: AsyncIterator<string>, done: () => void): AsyncGenerator<RunEvent> {
  try {
    for (let next = first; !next.done; next = await lines.next()) {
      const type = parseLine(next.value)?.type;
      yield { kind: "line", type: typeof type === "string" ? type : "message", line: next.value };
    }
    if ((await run.exited).timedOut) yield { kind: "error", message: TIMED_OUT };
  } finally {
    done();
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
