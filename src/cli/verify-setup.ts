/**
 * `proxy verify-setup [--json] [--offline]`: one line per check (✓ pass, ! warning, ✗ failure)
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
} from "./checks.ts";
import { checkStore } from "./store-checks.ts";

const MARK = { pass: "✓", warn: "!", fail: "✗" } as const;

export async function runChecks(env: Record<string, string | undefined>, options: { offline: boolean }): Promise<CheckResult[]> {
  const { result, config } = checkConfig(env);
  if (!config) return [result];
  const results: CheckResult[] = [result, checkDataDir(config), checkProxyKeys(config), checkUpstreamKey(config)];
  if (!options.offline) results.push(await checkUpstream(config));
  results.push(...(await checkStore(config)));
  results.push(checkMaskingSecret(config), await checkClaude(config), await checkPort(config), checkWorkdirRoot(config), await checkIsolation(config));
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
  lines.push("", failed === 0 ? `Ready (${warned} warning(s)).` : `${failed} check(s) failed; fix them and run \`proxy verify-setup\` again.`);
  return lines.join("\n");
}

export async function verifySetup(env: Record<string, string | undefined>, options: { json: boolean; offline: boolean }): Promise<number> {
  const results = await runChecks(env, options);
  const ok = results.every((check) => check.status !== "fail");
  process.stdout.write(options.json ? `${JSON.stringify({ ok, checks: results }, null, 2)}\n` : `${formatChecks(results)}\n`);
  return ok ? 0 : 1;
}

