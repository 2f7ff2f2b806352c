/**
 * The environment a CLI command inspects. The service reads its configuration from an
 * environment file (systemd's EnvironmentFile=), not from the shell of whoever runs
 * `verify-setup`, `mask` or `unmask`: those commands read the same file, so they look at the
 * store, keys and DATA_DIR the service uses instead of creating new ones where they stand.
 */
import { accessSync, constants, existsSync, readFileSync } from "node:fs";

/** Where scripts/install.sh writes the service's configuration. */
export const INSTALLED_ENV_FILE = "/etc/claude-masking-proxy/proxy.env";

/**
 * `KEY=VALUE` lines as systemd reads them: `#` and `;` start comment lines, a value may be
 * wrapped in matching quotes, surrounding spaces are dropped. Lines that are not assignments
 * are reported by number (never their text: it may hold a key).
 */
export function parseEnvFile(text: string): { values: Record<string, string>; badLines: number[] } {
  const values: Record<string, string> = {};
  const badLines: number[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#") || line.startsWith(";")) return;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!match) {
      badLines.push(index + 1);
      return;
    }
    let value = match[2]!;
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.length >= 2 && value.endsWith(quote)) value = value.slice(1, -1);
    values[match[1]!] = value;
  });
  return { values, badLines };
}

export interface CommandEnv {
  env: Record<string, string | undefined>;
  /** The file read, if any, for the first line of the report. */
  file?: string;
  /** Why the file could not be used; the command reports it and stops. */
  problem?: string;
}

/**
 * With `--env-file`, that file; without it, the installed service's file when it exists (so an
 * operator's `verify-setup` inspects the service), unless the environment already names a
 * store (DATA_DIR or STORE_URL: the caller chose one); else the process environment as it is.
 * From a file, only PATH and HOME come from the shell, as systemd would start the service.
 */
export function commandEnv(processEnv: Record<string, string | undefined>, envFile: string | undefined, installed = INSTALLED_ENV_FILE): CommandEnv {
  const chosen = Boolean(processEnv.DATA_DIR?.trim() || processEnv.STORE_URL?.trim());
  const file = envFile ?? (!chosen && existsSync(installed) ? installed : undefined);
  if (file === undefined) return { env: processEnv };
  try {
    accessSync(file, constants.R_OK);
  } catch {
    const hint = envFile ? "check the path" : "run as root (it is mode 0600), or pass --env-file PATH";
    return { env: processEnv, file, problem: `cannot read the environment file ${file}: ${hint}` };
  }
  const { values, badLines } = parseEnvFile(readFileSync(file, "utf8"));
  if (badLines.length > 0) return { env: processEnv, file, problem: `${file}: line(s) ${badLines.join(", ")} are not KEY=VALUE assignments` };
  return { env: { PATH: processEnv.PATH, HOME: processEnv.HOME, ...values }, file };
}
