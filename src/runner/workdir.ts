/**
 * Confines a run's working directory to CLAUDE_WORKDIR_ROOT. Paths are compared after
 * resolving symlinks, so `..`, absolute paths elsewhere and symlinks that point out are all
 * refused, not just the obvious spellings.
 */
import { mkdtempSync, realpathSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { badRequest } from "../errors.ts";

export function confineWorkdir(root: string, requested: string | undefined, field = "working_directory"): string {
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    throw badRequest(`${field} cannot be used: CLAUDE_WORKDIR_ROOT does not exist on the proxy host; ask an operator to create it.`);
  }
  if (requested === undefined || requested === "") {
    throw badRequest(`${field} is missing; name a directory inside CLAUDE_WORKDIR_ROOT.`);
  }
  const candidate = isAbsolute(requested) ? requested : resolve(realRoot, requested);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw badRequest(`${field} does not exist under CLAUDE_WORKDIR_ROOT; use a path relative to it.`);
  }
  const rel = relative(realRoot, real);
  if (rel.startsWith("..") || isAbsolute(rel)) {
    throw badRequest(`${field} must stay inside CLAUDE_WORKDIR_ROOT (no '..', no absolute paths or symlinks leading elsewhere).`);
  }
  // The root holds every run's directory: a run gets one of them, never all.
  if (rel === "") throw badRequest(`${field} must name a directory inside CLAUDE_WORKDIR_ROOT, not the root itself.`);
  return real;
}

/** Like confineWorkdir, for a file or directory to analyse; returns the directory to run in and the target. */
export function confineTarget(root: string, requested: string, field = "code_path"): { cwd: string; target: string } {
  const target = confineWorkdir(root, requested, field);
  const cwd = statSync(target).isDirectory() ? target : resolve(target, "..");
  return { cwd, target: relative(cwd, target) || "." };
}

/**
 * An empty directory of its own for a run that named none, outside CLAUDE_WORKDIR_ROOT (no
 * other run can name it); `remove` deletes it with whatever the run left there.
 */
export function scratchWorkdir(): { path: string; remove: () => void } {
  const path = realpathSync(mkdtempSync(join(tmpdir(), "cmp-run-")));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}
