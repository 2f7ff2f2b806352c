/**
 * scripts/install.sh and the systemd unit it installs: what lands where, idempotence, the
 * options' errors, the unit's hardening score (systemd-analyze, when the host has it), and that
 * the runner's sandbox still starts under the unit's capability settings.
 */
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, runCommand, tempDir } from "../helpers/proxy-process.ts";

const INSTALL = join(ROOT, "scripts/install.sh");
const UNIT = join(ROOT, "scripts/claude-masking-proxy.service");
const has = (program: string) => Bun.spawnSync(["sh", "-c", `command -v ${program}`]).exitCode === 0;
const install = (args: string[]) => runCommand(["bash", INSTALL, ...args], { env: { PATH: process.env.PATH! } });

function places() {
  const root = tempDir("cmp-install-");
  const binary = join(root, "built-binary");
  writeFileSync(binary, "#!/bin/sh\necho fake\n");
  return { binary, prefix: join(root, "prefix"), etc: join(root, "etc"), units: join(root, "units") };
}
const argsFor = (p: ReturnType<typeof places>) => ["--binary", p.binary, "--prefix", p.prefix, "--etc", p.etc, "--unit-dir", p.units];

describe("install.sh", () => {
  test("installs the binary, the unit (rewritten for the places given) and a 0600 env file; a second run keeps the env file", async () => {
    const p = places();
    const first = await install(argsFor(p));
    expect(first.exitCode).toBe(0);
    expect(statSync(join(p.prefix, "bin/claude-masking-proxy")).mode & 0o777).toBe(0o755);
    const unit = readFileSync(join(p.units, "claude-masking-proxy.service"), "utf8");
    expect(unit).toContain(`ExecStart=${p.prefix}/bin/claude-masking-proxy serve`);
    expect(unit).toContain(`EnvironmentFile=${p.etc}/proxy.env`);
    const envFile = join(p.etc, "proxy.env");
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    // The unit's directories are in the file too: verify-setup and mask/unmask read the file.
    expect(readFileSync(envFile, "utf8")).toContain("DATA_DIR=/var/lib/claude-masking-proxy\nCLAUDE_WORKDIR_ROOT=/var/lib/claude-masking-proxy-work\n");
    writeFileSync(envFile, "ANTHROPIC_API_KEY=sk-ant-operator-edited\n");
    const second = await install(argsFor(p));
    expect(second.exitCode).toBe(0);
    expect(second.stdout).toContain(`keeping existing ${envFile}`);
    expect(readFileSync(envFile, "utf8")).toBe("ANTHROPIC_API_KEY=sk-ant-operator-edited\n");
  });

  test("--dry-run changes nothing and says so", async () => {
    const p = places();
    const result = await install([...argsFor(p), "--dry-run"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.trim().split("\n").at(-1)).toBe("dry run: nothing was changed.");
    expect(result.stdout).not.toContain("installed");
    expect(existsSync(p.prefix) || existsSync(p.etc) || existsSync(p.units)).toBe(false);
  });

  test("--help lists every option and none of the script's own lines; a missing value or unknown option exits 2", async () => {
    const help = await install(["--help"]);
    expect(help.exitCode).toBe(0);
    for (const option of ["--binary PATH", "--prefix DIR", "--etc DIR", "--unit-dir DIR", "--dry-run", "--help"]) expect(help.stdout).toContain(option);
    expect(help.stdout).not.toContain("set -euo pipefail");
    for (const [args, message] of [
      [["--binary"], "install.sh: --binary needs a value (see --help)\n"],
      [["--prefix", "--dry-run"], "install.sh: --prefix needs a value (see --help)\n"],
      [["--frobnicate"], "install.sh: unknown option --frobnicate (see --help)\n"],
    ] as const) {
      const result = await install([...args]);
      expect({ args, exitCode: result.exitCode, stderr: result.stderr }).toEqual({ args, exitCode: 2, stderr: message });
    }
  });
});

describe("the systemd unit", () => {
  test.skipIf(!has("systemd-analyze"))("passes systemd-analyze verify and scores ≤ 3.0 in systemd-analyze security", async () => {
    // ExecStart must name an executable for verify; the unit is otherwise as shipped.
    const copy = join(tempDir("cmp-unit-"), "claude-masking-proxy.service");
    writeFileSync(copy, readFileSync(UNIT, "utf8").replace("/usr/local/bin/claude-masking-proxy", "/bin/true"));
    const verify = await runCommand(["systemd-analyze", "verify", copy], { env: { PATH: process.env.PATH! } });
    expect({ exitCode: verify.exitCode, stderr: verify.stderr }).toEqual({ exitCode: 0, stderr: "" });
    const security = await runCommand(["systemd-analyze", "security", "--offline=true", copy], { env: { PATH: process.env.PATH! } });
    const score = Number(/Overall exposure level for [^:]+: ([\d.]+)/.exec(security.stdout)?.[1]);
    expect(score).toBeLessThanOrEqual(3.0);
  });

  test.skipIf(!has("setpriv") || !has("bwrap") || process.getuid?.() !== 0)(
    "the runner's sandbox starts as an unprivileged user with the unit's empty capability bounding set and no new privileges",
    async () => {
      const unit = readFileSync(UNIT, "utf8");
      expect(unit).toMatch(/^CapabilityBoundingSet=$/m);
      expect(unit).toMatch(/^NoNewPrivileges=yes$/m);
      // The namespaces bubblewrap's --unshare-all creates are all allowed.
      expect(unit).toMatch(/^RestrictNamespaces=user mnt pid ipc uts cgroup$/m);
      const result = await runCommand(
        [
          "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs",
          "bwrap", "--unshare-all", "--share-net", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr",
          "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev",
          "/usr/bin/sh", "-c", "echo sandboxed; grep -c . /proc/self/status >/dev/null && ls /proc | grep -c '^[0-9]'",
        ],
        { env: { PATH: process.env.PATH! } },
      );
      // Inside, its own PID namespace: only the sandbox's processes are visible.
      expect({ exitCode: result.exitCode, stdout: result.stdout }).toEqual({ exitCode: 0, stdout: expect.stringMatching(/^sandboxed\n[1-4]\n$/) });
    },
  );
});
