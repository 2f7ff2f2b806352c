/** Secrets that are not AWS's: private keys, vendor tokens, JWTs, passwords, assigned secrets. */
import { type CatalogueEntry } from "../types.ts";

const token = (type: string, prefix: string, hints: string[], pattern: RegExp, priority = 8): CatalogueEntry => ({
  type,
  prefix,
  priority,
  hints,
  pattern,
});

/** Values that name a secret without being one: placeholders, lookups, code. */
function isRealSecretValue(value: string): boolean {
  if (/^(true|false|null|none|nil|undefined|required|optional|string|secret|password|changeme|example|xxx+|\*+|\.+)$/i.test(value)) return false;
  if (/^[$%{<]/.test(value)) return false; // ${VAR}, %(name)s, {{ template }}, <placeholder>
  if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(value)) return false; // config.password, os.environ
  if (/^[A-Z][A-Z0-9_]*$/.test(value) && value.includes("_")) return false; // another variable's name
  return /[A-Za-z0-9]/.test(value);
}

/** Characters of an assigned value: not whitespace, quotes, separators or brackets. */
const VALUE_CHAR = String.raw`[^\s"'\x60,;()\[\]{}<>\\]`;
/**
 * The secret-ish word inside a name (`DB_PASSWORD`, `apiKey`, `x-auth-token`). The regex starts
 * at this word rather than at the name's start: what precedes it does not change the value,
 * and a literal start is far cheaper to search for.
 */
const SECRET_WORD = String.raw`(?:secret|token|passw(?:or)?d|passwd|pwd|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credential|auth[_-]?key)`;

export const secretEntries: CatalogueEntry[] = [
  {
    type: "private_key",
    prefix: "SECRET_PRIVATE_KEY",
    priority: 1,
    hints: ["PRIVATE KEY-----"],
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?:[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|(?:[A-Za-z0-9+/=\s]|\\[nr])+)/g,
  },
  token("github_token", "SECRET_GITHUB_TOKEN", ["gh", "github_pat_"], /(?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2}))(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])/g),
  token("gitlab_token", "SECRET_GITLAB_TOKEN", ["glpat-", "gldt-", "glrt-"], /(?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2}))gl(?:pat|dt|rt)-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g),
  token("slack_token", "SECRET_SLACK_TOKEN", ["xox"], /(?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2}))xox[abposr]-[A-Za-z0-9-]{10,}(?![A-Za-z0-9-])/g),
  token("slack_webhook", "SECRET_SLACK_WEBHOOK", ["hooks.slack.com"], /(?<=hooks\.slack\.com\/services\/)T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/g),
  token("stripe_key", "SECRET_STRIPE_KEY", ["_live_", "_test_"], /(?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2}))(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}(?![A-Za-z0-9])/g),
  token("anthropic_key", "SECRET_ANTHROPIC_KEY", ["sk-ant-"], /(?:(?<![A-Za-z0-9_])|(?<=%[0-9A-Fa-f]{2}))sk-ant-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])/g),
  token("openai_key", "SECRET_OPENAI_KEY", ["sk-"], /(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2}))sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])/g, 9),
  token("jwt", "SECRET_JWT", ["eyJ"], /(?:(?<![A-Za-z0-9_-])|(?<=%[0-9A-Fa-f]{2}))eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}(?![A-Za-z0-9_-])/g),
  token("s3_presigned_signature", "SECRET_AWS_SIGNATURE", ["X-Amz-Signature", "x-amz-signature"], /(?<=[Xx]-[Aa]mz-[Ss]ignature=)[0-9a-f]{64}(?![0-9a-f])/g),
  {
    type: "url_password",
    prefix: "SECRET_PASSWORD",
    priority: 8,
    hints: ["://"],
    // Greedy up to the last `@` of the authority: passwords may contain `@` themselves.
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s:/@"'<>]+:(?<value>[^\s/"'<>]+)@/g,
    validate: (value) => isRealSecretValue(value),
  },
  {
    type: "bearer_token",
    prefix: "SECRET_BEARER_TOKEN",
    priority: 9,
    hints: ["Bearer ", "bearer "],
    pattern: /(?<=[Aa]uthorization(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?[Bb]earer\s+)(?<value>[A-Za-z0-9._~+/-]{16,}=*)/g,
  },
  {
    // KEY=value in .env, key: value in YAML, "key": "value" in JSON, key = "value" in code.
    // Not a URL query parameter (see the next entry), where `&` ends the value.
    type: "assigned_secret",
    prefix: "SECRET_VALUE",
    priority: 40,
    pattern: new RegExp(
      // The value ends at a delimiter (never mid-token) and is not a function call.
      // The URL-parameter test sits after the word so it runs only where the word matched.
      String.raw`${SECRET_WORD}(?<![?&][A-Za-z0-9_.-]{0,64}${SECRET_WORD})[A-Za-z0-9_.-]*(?:\\?["'])?[ \t]*(?::|=|:=|=>)[ \t]*(?:\\?["'])?(?<value>${VALUE_CHAR}{6,})(?!${VALUE_CHAR}|\()`,
      "gi",
    ),
    validate: (value) => isRealSecretValue(value),
  },
  {
    // ?api_key=…&token=… in URLs: the value stops at `&` or `#`.
    type: "assigned_secret",
    prefix: "SECRET_VALUE",
    priority: 40,
    pattern: new RegExp(String.raw`${SECRET_WORD}(?<=[?&][A-Za-z0-9_.-]{0,64}${SECRET_WORD})[A-Za-z0-9_.-]*=(?<value>[^&#\s"'<>]{6,})`, "gi"),
    validate: (value) => isRealSecretValue(value),
  },
];
