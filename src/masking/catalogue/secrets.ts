/** Secrets that are not AWS's: private keys, vendor tokens, JWTs, passwords, assigned secrets. */
import { AFTER_ESCAPE, TOKEN_START } from "../boundary.ts";
import { runEnd, type CatalogueEntry, type ExtendMemo } from "../types.ts";
import { SECRET_WORD_TRIGGERS } from "./triggers.ts";

/**
 * A reference or template in a value's place: `${VAR}`, `$VAR`, `$(cmd)`, `%(name)s`, `%s`,
 * `%{var}`, `{{ template }}`, `<placeholder>`. A password may itself start with `%`, or with
 * `$` and a digit or a sign.
 */
const PLACEHOLDER = /^(?:\$[A-Za-z_{(]|%\(|%[sd]$|%\{|\{|<[^>]*>?$)/;

/**
 * Values that name a secret without being one: placeholders, lookups, code. A quoted value is
 * a literal (`"wNHJz.qCPL2"`), so only unquoted ones can be a lookup (`config.password`).
 */
function isRealSecretValue(value: string, quoted = false): boolean {
  if (/^(true|false|null|none|nil|undefined|required|optional|string|secret|password|changeme|example|xxx+|\*+|\.+)$/i.test(value)) return false;
  if (PLACEHOLDER.test(value)) return false;
  if (!quoted && isLookup(value)) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(value) && value.includes("_")) return false; // another variable's name
  return /[A-Za-z0-9]/.test(value);
}

/**
 * `config.password`, `settings.DB_PASSWORD`, `os.environ`: dotted names. A dotted token with a
 * long segment mixing letters and digits, and no `_` of a name, is a token (`dt0c01.ABC…`, a
 * Discord bot token).
 */
function isLookup(value: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(value)) return false;
  return !value.split(".").some((segment) => segment.length >= 16 && !segment.includes("_") && /[0-9]/.test(segment) && /[A-Za-z]/.test(segment));
}

/**
 * A password inside a URL is a literal: only placeholders are not (`${DB_PASS}`, `<password>`,
 * `****`); `avz7.LXqs` there is no `config.password` lookup.
 */
function isRealUrlPassword(value: string): boolean {
  if (/^(?:password|passwd|pass|changeme|secret|x+|\*+|\.+)$/i.test(value)) return false;
  return !PLACEHOLDER.test(value) && /[A-Za-z0-9]/.test(value);
}

/** Characters of a URL query value. */
const QUERY_VALUE_CHAR = String.raw`[^&#\s"'<>]`;
const QUERY_VALUE_RUN = new RegExp(`${QUERY_VALUE_CHAR}*`, "y");
/**
 * The rest of a name after its secret word (`_ACCESS_KEY_ID`): at most 64 characters, like
 * the URL-parameter lookbehind. Unbounded, every secret word of one long run of name
 * characters (`secret_token_password_…`) would read the run to its end.
 */
const NAME_TAIL = "[A-Za-z0-9_.-]{0,64}";
/**
 * The secret-ish word inside a name (`DB_PASSWORD`, `apiKey`, `x-auth-token`). The regex starts
 * at this word rather than at the name's start: what precedes it does not change the value,
 * and a literal start is far cheaper to search for.
 * SECRET_WORD_TRIGGERS (triggers.ts) must name every word here, or the word is never found.
 */
const SECRET_WORD = String.raw`(?:secret|token|passw(?:or)?d|passwd|pwd|api[_-]?key|apikey|access[_-]?key|account[_-]?key|private[_-]?key|credential|auth[_-]?key|signing[_-]?key|encryption[_-]?key|master[_-]?key|hmac[_-]?key|passphrase)`;

/**
 * Names that hold something about a secret, not the secret: where it is (`…_TOKEN_FILE`,
 * `SECRET_PATH`, `TOKEN_URL`), and `secretsmanager:` before an IAM action
 * (`secretsmanager:GetSecretValue`).
 */
const NOT_A_SECRET_NAME = String.raw`(?<!(?:_?file|_?path|_?dir|_url|_uri|_endpoint|secretsmanager))`;

/** A quote, JSON-escaped up to three times (`\\\"`). */
const QUOTE = String.raw`\\{0,7}["'\x60]`;
/**
 * What lies between a secret-ish name and its value (before the value's own opening quote):
 * `=`, `:`, `:=`, `=>`, and the forms that put the name and the value in two fields:
 * `{"name": "DB_PASSWORD", "value": "…"}` (ECS task definitions, Kubernetes env in JSON),
 * `- name: DB_PASSWORD⏎  value: …` (in YAML), a Terraform variable's `default = "…"`, and a
 * command-line flag and its argument (`--password …`, `--master-user-password …`).
 */
const NAME_TO_VALUE = [
  String.raw`(?:${QUOTE})?[ \t]*(?::|=|:=|=>)[ \t]*`,
  String.raw`${QUOTE}[ \t]*,[ \t]*${QUOTE}[Vv]alue${QUOTE}[ \t]*:[ \t]*`,
  String.raw`["']?[ \t]*\r?\n[ \t]*-?[ \t]*value:[ \t]*`,
  String.raw`"[ \t]*\{[^{}]{0,160}?\bdefault[ \t]*=[ \t]*`,
  String.raw`(?<=(?<![A-Za-z0-9-])--[A-Za-z0-9-]{1,64})[ \t]+(?!-)`,
  // .netrc and .authinfo: `machine HOST login USER password VALUE`.
  String.raw`(?<=(?<![A-Za-z0-9_-])login[ \t]+[^\s]{1,128}[ \t]+[A-Za-z]{0,16})[ \t]+`,
  // An XML element (`<password>…</password>`, Maven's settings.xml): the value ends at the next `<`.
  String.raw`(?<=<[A-Za-z0-9_.:-]{0,64})(?<element>>)`,
].join("|");

/**
 * The first character of a value: not a space, a quote or a backslash (but an escaped `/`),
 * nor a bracket (`(sensitive value)` in a Terraform plan, `[REDACTED]`).
 */
const VALUE_OPENING = String.raw`(?:[^\s"'\x60\\<>|(\[]|\\{1,3}\/)`;
/** An unquoted value runs to the next space or quote (a `/` JSON-escaped is one of its characters). */
const UNQUOTED_VALUE_RUN = /[^\s"'\x60\\]*(?:\\{1,3}\/[^\s"'\x60\\]*)*/y;
/** A quoted value can hold spaces (a passphrase), but no line break, and is at most this long. */
const MAX_QUOTED = 512;
/** Where the next field of a connection string or option list starts (`;Database=…`, `, user=…`). */
const NEXT_FIELD_GLOBAL = /[;,&][ \t]*[A-Za-z_][A-Za-z0-9_.-]{0,64}[ \t]*=/g;
/** A call in a value's place (`getPassword()`, `os.getenv(`). */
const CALL = /^[A-Za-z_$][\w$.]*\(/;

/** The first match of `re` (global) at or after `at` (-1: none), remembered under `key`. */
function nextMatch(text: string, re: RegExp, at: number, memo: ExtendMemo, key: string): number {
  const known = memo[key];
  if (known && at >= known.from && (known.to === -1 || at <= known.to)) return known.to;
  re.lastIndex = at;
  const m = re.exec(text);
  const to = m ? m.index : -1;
  memo[key] = { from: at, to };
  return to;
}

/** Whether `opener` occurs in text[start, end). */
function openedBefore(text: string, opener: string, start: number, end: number, memo: ExtendMemo): boolean {
  const at = nextIndex(text, opener, start, memo, `open${opener}`);
  return at !== -1 && at < end;
}

/**
 * Where an assigned value that starts at `start` ends, reading like a person: a quoted value
 * ends at the quote that matches its opening one (`"a, b (c)"` is one value); an unquoted one
 * at the next space or quote, before the next `;key=` field, without the punctuation that ends
 * its sentence (`.`, `,`, `;`, `:`) or a bracket it did not open. A call (`getPassword()`) is
 * not a value. Every search is remembered in `memo`, so starts that share a tail read it once.
 */
function assignedValueEnd(text: string, start: number, quote: string | undefined, memo: ExtendMemo, element = false): number | undefined {
  if (quote || element) {
    // An element's value is quoted by its tags: it ends at the `<` of the closing one.
    const closer = element ? "<" : quote!;
    const close = nextIndex(text, closer, start, memo, `quote${closer}`);
    const lineEnd = nextIndex(text, "\n", start, memo, "line");
    if (close > start && close - start <= MAX_QUOTED && (lineEnd === -1 || lineEnd > close)) return close - start >= 6 ? close : undefined;
    if (element) return undefined;
  }
  let end = runEnd(text, start, UNQUOTED_VALUE_RUN, memo, "value");
  // Every check below reads a bounded stretch or a remembered search: starts that share one
  // long run (`password=password=…`) must not each read it again.
  if (CALL.test(text.slice(start, Math.min(end, start + 256)))) return undefined;
  const field = nextMatch(text, NEXT_FIELD_GLOBAL, start, memo, "field");
  if (field !== -1 && field < end) end = field;
  for (;;) {
    const last = text.charAt(end - 1);
    if (".,;:".includes(last) && end - 1 > start) end--;
    else if (")]}>".includes(last) && !openedBefore(text, "([{<".charAt(")]}>".indexOf(last)), start, end - 1, memo)) end--;
    else break;
  }
  return end - start >= 6 ? end : undefined;
}

/** Not inside a word; a URL escape (`%2F`) before it counts as a boundary. */
const WORD_START = TOKEN_START;
/** Tokens that may contain `-` must not continue one either. */
const DASHED_TOKEN_START = `(?:(?<![A-Za-z0-9_-])|${AFTER_ESCAPE})`;
/**
 * `rest` of a literal whose first letters (`head`) an enclosing group already matched, with
 * the boundary before the whole literal checked in a lookbehind once it has matched.
 */
const literal = (rest: string, head: string, boundary: string) => `${rest}(?<=${boundary}${head}${rest})`;

/** Vendor token kinds, told apart by how the match starts (first match wins). */
const VENDOR_TOKENS = [
  { start: /^gh|^github_pat_/, type: "github_token", prefix: "SECRET_GITHUB_TOKEN" },
  { start: /^gl/, type: "gitlab_token", prefix: "SECRET_GITLAB_TOKEN" },
  { start: /^xox/, type: "slack_token", prefix: "SECRET_SLACK_TOKEN" },
  { start: /^[spr]k_/, type: "stripe_key", prefix: "SECRET_STRIPE_KEY" },
  { start: /^sk-ant-/, type: "anthropic_key", prefix: "SECRET_ANTHROPIC_KEY" },
  { start: /^sk-/, type: "openai_key", prefix: "SECRET_OPENAI_KEY" },
  { start: /^eyJ/, type: "jwt", prefix: "SECRET_JWT" },
];

const AUTHORIZATION_KINDS = [
  { type: "bearer_token", prefix: "SECRET_BEARER_TOKEN" },
  { type: "basic_auth", prefix: "SECRET_BASIC_AUTH" },
];

/** `Basic` takes base64 of `user:password`; anything else after the word is prose. */
function isBasicCredential(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const decoded = Buffer.from(value, "base64").toString("latin1");
  return /^[\x21-\x7e][\x20-\x7e]*:[\x20-\x7e]*$/.test(decoded);
}

/** The words before PRIVATE KEY (`RSA`, `ENCRYPTED`, `OPENSSH`…): at most four. */
const PEM_LABEL = "(?:[A-Z0-9]+ ){0,4}";
const PEM_END = new RegExp(`-----END ${PEM_LABEL}PRIVATE KEY-----`, "y");
/** A key body without its END line: base64, whitespace, JSON-escaped line breaks. */
const PEM_BODY = /(?:[A-Za-z0-9+/=\s]|\\[nr])*/y;

/** The first `word` at or after `at` (-1: none), remembering the last answer under `key`. */
function nextIndex(text: string, word: string, at: number, memo: ExtendMemo, key: string): number {
  const known = memo[key];
  if (known && at >= known.from && (known.to === -1 || at <= known.to)) return known.to;
  const to = text.indexOf(word, at);
  memo[key] = { from: at, to };
  return to;
}

/**
 * Where a private key that starts with a header ending at `headerEnd` ends: at the first
 * `-----END … PRIVATE KEY-----` before the next `-----BEGIN ` header (a key holds no other
 * header), or, without one, where its base64 body ends. Each search is remembered, so a text
 * of repeated headers without an END line is read once, not once per header.
 */
function pemEnd(text: string, headerEnd: number, memo: ExtendMemo): number | undefined {
  const nextBegin = nextIndex(text, "-----BEGIN ", headerEnd, memo, "begin");
  const limit = nextBegin === -1 ? text.length : nextBegin;
  for (let at = headerEnd; ; ) {
    const end = nextIndex(text, "-----END ", at, memo, "end");
    if (end === -1 || end >= limit) break;
    PEM_END.lastIndex = end;
    if (PEM_END.test(text)) return PEM_END.lastIndex;
    at = end + 1;
  }
  PEM_BODY.lastIndex = headerEnd;
  PEM_BODY.test(text);
  return PEM_BODY.lastIndex > headerEnd ? PEM_BODY.lastIndex : undefined;
}

/** A MySQL or MariaDB client earlier on the line, read back from the `-` of its `-p`. */
const AFTER_MYSQL = String.raw`(?<=(?<![A-Za-z0-9_-])(?:mysql|mysqldump|mysqladmin|mariadb|mariadb-dump)(?:\s[^\n]{0,120})?\s-)`;

/**
 * The MySQL and MariaDB clients take the password glued to -p: `mysql -u root -pS3cret db`.
 * Unquoted, the `p` is masked with it: a surrogate must start a token to be found again
 * (`-SECRET_VALUE_001` comes back as `-pS3cret`). Quoted (`-p'S3cret'`), the quote starts it.
 */
function mysqlPasswordEntries(): CatalogueEntry[] {
  const base = { type: "assigned_secret", prefix: "SECRET_VALUE", priority: 40, validate: (value: string) => isRealSecretValue(value, true) };
  return [
    {
      ...base,
      triggers: [{ chars: "-", when: String.raw`(?<=\s-)(?=p[^\s"'-])` }],
      pattern: new RegExp(String.raw`-${AFTER_MYSQL}(?<value>p)(?=[^\s"'-])`, "g"),
      extend: (text, end, memo) => assignedValueEnd(text, end - 1, undefined, memo),
    },
    {
      ...base,
      triggers: [{ chars: "-", when: String.raw`(?<=\s-)(?=p["'][^\s])` }],
      pattern: new RegExp(String.raw`-${AFTER_MYSQL}p(?<quote>["'])(?<value>[^\s"'])`, "g"),
      extend: (text, end, memo, groups) => assignedValueEnd(text, end - 1, groups.quote, memo),
    },
  ];
}

export const secretEntries: CatalogueEntry[] = [
  {
    type: "private_key",
    prefix: "SECRET_PRIVATE_KEY",
    priority: 1,
    triggers: [{ chars: "-", when: "(?=----BEGIN )" }],
    // The header only; `extend` finds the block's end (see pemEnd).
    pattern: new RegExp(`-----BEGIN ${PEM_LABEL}PRIVATE KEY-----`, "g"),
    extend: pemEnd,
  },
  {
    // One regex for every vendor token. Alternatives are grouped by first letter and start at
    // their literal prefix; the boundary before it is checked in a lookbehind. `classify`
    // reads the prefix.
    type: "vendor_token",
    prefix: "SECRET_TOKEN",
    priority: 8,
    // Found by the `_`, `-` or `J` of each kind's prefix: far rarer in text than the letters
    // the tokens start with.
    triggers: [
      { chars: "_", when: `(?<=${WORD_START}gh[pousr]_)`, back: [3] },
      { chars: "_", when: "(?<=github_)(?=pat_)", back: [6] },
      { chars: "-", when: "(?<=gl(?:pat|dt|rt)-)", back: [4, 5] },
      { chars: "-", when: "(?<=xox[abposr]-)", back: [4] },
      { chars: "_", when: "(?<=[spr]k_)(?=live_|test_)", back: [2] },
      { chars: "-", when: "(?<=sk-)", back: [2] },
      { chars: "J", when: `(?<=${DASHED_TOKEN_START}eyJ)`, back: [2] },
    ],
    pattern: new RegExp(
      [
        `g(?:${[
          `${literal("h[pousr]_", "g", WORD_START)}[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])`,
          `${literal("ithub_pat_", "g", WORD_START)}[A-Za-z0-9_]{22,255}(?![A-Za-z0-9_])`,
          `${literal("l(?:pat|dt|rt)-", "g", WORD_START)}[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])`,
        ].join("|")})`,
        `${literal("xox[abposr]-", "", WORD_START)}[A-Za-z0-9-]{10,}(?![A-Za-z0-9-])`,
        `${literal("[pr]k_(?:live|test)_", "", WORD_START)}[A-Za-z0-9]{16,}(?![A-Za-z0-9])`,
        `s(?:${[
          `${literal("k_(?:live|test)_", "s", WORD_START)}[A-Za-z0-9]{16,}(?![A-Za-z0-9])`,
          `${literal("k-ant-", "s", WORD_START)}[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])`,
          `${literal("k-(?!ant-)", "s", DASHED_TOKEN_START)}(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])`,
        ].join("|")})`,
        `${literal("eyJ", "", DASHED_TOKEN_START)}[A-Za-z0-9_-]{8,}\\.eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}(?![A-Za-z0-9_-])`,
      ].join("|"),
      "g",
    ),
    classify: (_groups, matched) => VENDOR_TOKENS.find(({ start }) => start.test(matched)),
    family: VENDOR_TOKENS,
  },
  {
    type: "slack_webhook",
    prefix: "SECRET_SLACK_WEBHOOK",
    priority: 8,
    triggers: [{ chars: ".", when: String.raw`(?<=hooks\.)(?=slack\.com\/services\/)`, back: [5] }],
    pattern: /hooks\.slack\.com\/services\/(?<value>T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)/g,
  },
  {
    type: "s3_presigned_signature",
    prefix: "SECRET_AWS_SIGNATURE",
    priority: 8,
    triggers: [{ chars: "-", when: "(?<=mz-)(?=[Ss]ignature=)", back: [2] }],
    pattern: /mz-[Ss]ignature=(?<=[Xx]-[Aa]mz-[Ss]ignature=)(?<value>[0-9a-f]{64})(?![0-9a-f])/g,
  },
  {
    // SigV4's Authorization header: `AWS4-HMAC-SHA256 Credential=…/aws4_request, SignedHeaders=…,
    // Signature=HEX`. Found from the `_` of the credential scope's `aws4_request`.
    type: "aws_sigv4_signature",
    prefix: "SECRET_AWS_SIGNATURE",
    priority: 8,
    triggers: [{ chars: "_", when: "(?<=aws4_)(?=request)", back: [0] }],
    pattern: /_request(?<=aws4_request)[^\n]{0,600}?(?<=[ ,])Signature=(?<value>[0-9a-f]{64})(?![0-9a-f])/g,
  },
  {
    // A registry credential in Docker's config.json (`"auths": {"host": {"auth": "base64"}}`):
    // base64 of user:password, read from the `:` after the key.
    type: "basic_auth",
    prefix: "SECRET_BASIC_AUTH",
    priority: 9,
    triggers: [{ chars: ":", when: String.raw`(?<=(?<![A-Za-z0-9_])auth\\{0,7}["'][ \t]*:)` }],
    pattern: /:[ \t]*\\{0,7}["'](?<value>[A-Za-z0-9+/]{8,}={0,2})(?=\\{0,7}["'])/g,
    validate: (value) => isBasicCredential(value),
  },
  {
    // A Sentry DSN's key: 32 hex characters as a URL's user (`https://KEY@o1.ingest.sentry.io/2`).
    // Found at the `://` url_password already stops at.
    type: "sentry_dsn_key",
    prefix: "SECRET_SENTRY_DSN_KEY",
    priority: 8,
    triggers: [{ chars: ":", when: String.raw`(?=\/\/)` }],
    pattern: /:\/\/(?<=(?<![A-Za-z0-9+.-])https?:\/\/)(?<value>[0-9a-f]{32})(?::[^\s:/@"'<>]*)?@/g,
  },
  {
    type: "url_password",
    prefix: "SECRET_PASSWORD",
    priority: 8,
    // Starts at "://" and reads the scheme in a lookbehind. Greedy up to the last `@` of the
    // authority: passwords may contain `@` themselves.
    triggers: [{ chars: ":", when: String.raw`(?=\/\/)` }],
    // The user may be empty (`rediss://:PASSWORD@host`).
    pattern: /:\/\/(?<=(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s:/@"'<>]*:(?<value>[^\s/"'<>]+)@/g,
    validate: (value) => isRealUrlPassword(value),
  },
  {
    // The credential of an Authorization (or Proxy-Authorization) header, in any case:
    // `Bearer …`, GitHub's `token …`, Okta's `SSWS …`, Discord's `Bot …`, `Api-Token …`,
    // `ApiKey …`, `AccessKey …`, or `Basic …` (base64 of user:password).
    type: "bearer_token",
    prefix: "SECRET_BEARER_TOKEN",
    priority: 9,
    // Starts at "uthorization" (its first letter is read in a lookbehind); found by its "z".
    triggers: [{ chars: "zZ", when: "(?<=(?i:uthoriz))(?=(?i:ation))", back: [6] }],
    pattern: /uthorization(?<=authorization)(?:\\?["'])?\s*[:=]\s*(?:\\?["'])?(?<scheme>bearer|token|basic|ssws|bot|api-token|apikey|accesskey)\s+(?<value>[A-Za-z0-9._~+/-]{8,}=*)/gi,
    classify: (groups, value) => {
      if (groups.scheme!.toLowerCase() !== "basic") return value.replace(/=+$/, "").length >= 16 ? AUTHORIZATION_KINDS[0] : undefined;
      return isBasicCredential(value) ? AUTHORIZATION_KINDS[1] : undefined;
    },
    family: AUTHORIZATION_KINDS,
  },
  {
    // KEY=value in .env, key: value in YAML, "key": "value" in JSON, key = "value" in code.
    // Not a URL query parameter (see the next entry), where `&` ends the value.
    type: "assigned_secret",
    prefix: "SECRET_VALUE",
    priority: 40,
    triggers: SECRET_WORD_TRIGGERS,
    everyStart: true,
    pattern: new RegExp(
      // The URL-parameter test sits after the word so it runs only where the word matched.
      // The lookahead (implied by what follows) rejects a word inside a long name cheaply,
      // before the costlier lookbehind runs.
      String.raw`${SECRET_WORD}(?=${NAME_TAIL}[\\"' \t:=\r\n>])(?<![?&][A-Za-z0-9_.-]{0,64}${SECRET_WORD})${NAME_TAIL}${NOT_A_SECRET_NAME}(?:${NAME_TO_VALUE})(?<quote>${QUOTE})?(?<value>${VALUE_OPENING})`,
      "gi",
    ),
    // The value's first character; `extend` reads the rest (see assignedValueEnd).
    extend: (text, end, memo, groups) => assignedValueEnd(text, end - groups.value!.length, groups.quote, memo, groups.element !== undefined),
    validate: (value, text, index) => isRealSecretValue(value, /["'>]/.test(text.charAt(index - 1))),
  },
  ...mysqlPasswordEntries(),
  {
    // Korean prose: `비밀번호는 …입니다` (the password is …), `시크릿 키 …는` (the secret key …).
    // The value is ASCII: it ends where the Hangul particle after it starts.
    type: "assigned_secret",
    prefix: "SECRET_VALUE",
    priority: 40,
    // At the word's last syllable, with no condition: a lookbehind over Hangul in the shared
    // pass's conditions made the whole pass ~70 % slower on every text that is not Latin-1
    // (most of Claude Code's); the entry's own regex reads the word back instead.
    triggers: [{ chars: "호드키" }],
    pattern: /[호드키](?<=비밀번호|패스워드|암호|시크릿\s?키|비밀\s?키|액세스\s?키)(?:는|은|가|이|를|:|=)?\s*["'\x60]?(?<value>[A-Za-z0-9!#$%&*+\-/=?@^_~.]{5,}[A-Za-z0-9!#$%&*+\-/=?@^_~])/g,
    validate: (value) => isRealSecretValue(value, true) && /[0-9]/.test(value),
  },
  {
    // ?api_key=…&token=… in URLs: the value stops at `&` or `#`.
    type: "assigned_secret",
    prefix: "SECRET_VALUE",
    priority: 40,
    triggers: SECRET_WORD_TRIGGERS,
    everyStart: true,
    pattern: new RegExp(String.raw`${SECRET_WORD}(?=${NAME_TAIL}=)(?<=[?&][A-Za-z0-9_.-]{0,64}${SECRET_WORD})${NAME_TAIL}=(?<value>${QUERY_VALUE_CHAR}{6})`, "gi"),
    extend: (text, end, memo) => runEnd(text, end, QUERY_VALUE_RUN, memo, "value"),
    validate: (value) => isRealSecretValue(value),
  },
];
