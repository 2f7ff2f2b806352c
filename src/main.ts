#!/usr/bin/env bun
/** Entry point: parse the command line and dispatch to the server or a CLI command. */
import { parseArgs } from "node:util";
import { EnvSchema } from "./config.ts";
import { PROGRAM, helpText } from "./cli/help.ts";
import { VERSION } from "./version.ts";

const COMMANDS = ["serve", "verify-setup", "mask", "unmask"] as const;
type Command = (typeof COMMANDS)[number];

function usageError(message: string): number {
  process.stderr.write(`${PROGRAM}: ${message}\nRun \`${PROGRAM} --help\` for usage.\n`);
  return 2;
}

/**
 * An option that is not one. When it names a variable (`--port 9000`, `--data-dir=/x`), the
 * message says how to set that variable instead.
 */
function unknownOption(flag: string, argv: string[]): string {
  const variable = flag.replace(/^-+/, "").replaceAll("-", "_").toUpperCase();
  if (variable in EnvSchema.properties) {
    const at = argv.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
    const inline = argv[at]?.includes("=") ? argv[at]!.slice(flag.length + 1) : undefined;
    const next = argv[at + 1];
    const value = inline ?? (next !== undefined && !next.startsWith("-") ? next : "…");
    return `${flag} is not an option: configuration comes from the environment. Use ${variable}=${value} ${PROGRAM} …`;
  }
  return `unknown option ${flag}`;
}

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
        json: { type: "boolean" },
        jsonl: { type: "boolean" },
        offline: { type: "boolean" },
        tenant: { type: "string" },
        "env-file": { type: "string" },
        "new-store": { type: "boolean" },
      },
    });
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return usageError(unknownOption(/'([^']+)'/.exec(message)?.[1] ?? "?", argv));
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") return usageError(message.replace(/^Option '(--?[\w-]+)[^']*'.*$/, "option $1 needs a value"));
    return usageError(message);
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === "help") {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  if (values.version || positionals[0] === "version") {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (positionals.length > 1) return usageError(`unexpected argument '${positionals[1]}'`);

  const command = (positionals[0] ?? "serve") as Command;
  if (!COMMANDS.includes(command)) return usageError(`unknown command '${command}'; expected one of ${COMMANDS.join(", ")}`);

  switch (command) {
    case "serve":
      return (await import("./server/serve.ts")).serve(process.env);
    case "verify-setup":
      return (await import("./cli/verify-setup.ts")).verifySetup(process.env, { json: !!values.json, offline: !!values.offline, envFile: values["env-file"] });
    case "mask":
    case "unmask":
      return (await import("./cli/mask-command.ts")).maskCommand(command, process.env, {
        jsonl: !!values.jsonl,
        tenant: values.tenant ?? "default",
        envFile: values["env-file"],
        newStore: !!values["new-store"],
      });
  }
}

process.exitCode = await main(process.argv.slice(2));
