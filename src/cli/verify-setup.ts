/**
 * `claude-masking-proxy verify-setup [--json] [--offline]`: one line per check (✓ pass, ! warning, ✗ failure)
 * and the exact fix under each failure. Exit 0 only when no required check failed.
 */
import {
  type CheckResult,
  checkClaude,
  checkConfig,
  checkDataDir,
  checkIsolation,
  checkMaskingSecret,
  checkPort,
  checkProxyKeys,
  checkUpstream,
  checkUpstreamKey,
  checkWorkdirRoot,
  forRunner,
} from "./checks.ts";
import { serveProblems } from "../config.ts";
import { commandEnv } from "./env-file.ts";
import { checkStore } from "./store-checks.ts";

const MARK = { pass: "✓", warn: "!", fail: "✗" } as const;

export async function runChecks(env: Record<string, string | undefined>, options: { offline: boolean; envFile?: string; installedEnvFile?: string }): Promise<CheckResult[]> {
  const source = commandEnv(env, options.envFile, options.installedEnvFile);
  const preamble: CheckResult[] = [];
  if (source.problem) return [{ name: "environment", status: "fail", detail: source.problem, fix: "pass --env-file PATH with the file the service reads" }];
  if (source.file) {
    preamble.push(
      source.env.DATA_DIR
        ? { name: "environment", status: "pass", detail: `read ${source.file} (what the service reads)` }
        : { name: "environment", status: "warn", detail: `read ${source.file}; it sets no DATA_DIR`, fix: "add the service's DATA_DIR (the shipped unit uses DATA_DIR=/var/lib/claude-masking-proxy) so checks and mask/unmask find its store" },
    );
  }
  const { result, config } = checkConfig(source.env);
  if (!config) return [...preamble, result];
  const results: CheckResult[] = [...preamble, result, checkDataDir(config), checkProxyKeys(config)];
  if (config.upstreamProvider === "bedrock") {
    const { checkBedrock } = await import("./bedrock-checks.ts");
    results.push(...(await checkBedrock(config, { offline: options.offline, env: source.env })));
  } else if (config.upstreamProvider === "vertex") {
    const { checkVertex } = await import("./vertex-checks.ts");
    results.push(...(await checkVertex(config, { offline: options.offline, env: source.env })));
  }
  else {
    const upstream = options.offline ? undefined : await checkUpstream(config);
    results.push(checkUpstreamKey(config, upstream?.verdict));
    if (upstream) results.push(upstream.result);
  }
  results.push(...(await checkStore(config)));
  results.push(checkMaskingSecret(config));
  if (config.claudeRunner === "off") {
    results.push(await checkPort(config), { name: "Claude Code runs", status: "pass", detail: "off (CLAUDE_RUNNER=off): the claude CLI and its sandbox are not needed" });
    return results;
  }
  // Overlapping directories stop `serve` itself: a failure whatever CLAUDE_RUNNER says.
  const workdir = checkWorkdirRoot(config);
  const overlap = serveProblems(config).length > 0;
  results.push(forRunner(config, await checkClaude(config)), await checkPort(config), overlap ? workdir : forRunner(config, workdir), forRunner(config, await checkIsolation(config)));
  return results;
}

export function formatChecks(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const check of results) {
    lines.push(`${MARK[check.status]} ${check.name}: ${check.detail}`);
    if (check.fix) lines.push(...check.fix.split("\n").map((line, i) => (i === 0 ? `    fix: ${line}` : `         ${line}`)));
  }
  const failed = results.filter((check) => check.status === "fail").length;
  const warned = results.filter((check) => check.status === "warn").length;
  lines.push("", failed === 0 ? `Ready (${warned} warning(s)).` : `${failed} check(s) failed; fix them and run \`claude-masking-proxy verify-setup\` again.`);
  return lines.join("\n");
}

export async function verifySetup(env: Record<string, string | undefined>, options: { json: boolean; offline: boolean; envFile?: string }): Promise<number> {
  const results = await runChecks(env, options);
  const ok = results.every((check) => check.status !== "fail");
  process.stdout.write(options.json ? `${JSON.stringify({ ok, checks: results }, null, 2)}\n` : `${formatChecks(results)}\n`);
  return ok ? 0 : 1;
}

