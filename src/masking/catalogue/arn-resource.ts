/**
 * The grammar of an ARN's resource field, for every service, known or not:
 *   arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE
 * RESOURCE is `[TYPE SEP]... VALUE [QUALIFIER]`: the resource-type keywords (`stack/`,
 * `loadbalancer/app/`, `log-group:/aws/lambda/`) stay readable, and everything after them,
 * whatever `/` or `:` it holds, is the customer's value, masked as one
 * (`stack/NAME/UUID` → `stack/AWS_CLOUDFORMATION_STACK_001`). A trailing qualifier that names
 * nothing (`:12` revision, `:*`, `/*`, `:$LATEST`) stays readable too.
 * Separators may be plain (`/`, `:`), JSON-escaped (`\/`) or URL-encoded once or twice
 * (`%2F`, `%3A`, `%252F`, `%253A`).
 */

/** One value inside the resource field: [start, end) and the resource type it belongs to. */
export interface ResourceValue {
  start: number;
  end: number;
  /** The keyword that names what it is (`stack`, `role`), or undefined for a bare name. */
  type?: string;
}

interface Segment {
  text: string;
  start: number;
  end: number;
  /** The separator after this segment, normalised to `/` or `:` ("" for the last one). */
  sep: "/" | ":" | "";
}

const SEPARATOR = /%25(?:2[Ff]|3[Aa])|%2[Ff]|%3[Aa]|\\\/|\/|:/g;

function segments(resource: string): Segment[] {
  const out: Segment[] = [];
  let from = 0;
  SEPARATOR.lastIndex = 0;
  for (let m = SEPARATOR.exec(resource); m; m = SEPARATOR.exec(resource)) {
    const sep = /3[Aa]$|^:$/.test(m[0]) ? ":" : "/";
    out.push({ text: resource.slice(from, m.index), start: from, end: m.index, sep });
    from = m.index + m[0].length;
  }
  out.push({ text: resource.slice(from), start: from, end: resource.length, sep: "" });
  return out;
}

/** Services whose resource is a bare name, with no type keyword before it. */
const BARE_NAME_SERVICES = new Set(["sns", "sqs", "s3", "codecommit", "execute-api"]);

/**
 * Resource-type keywords that can follow the first one (`loadbalancer/app/…`), per service.
 * Any other segment after a type is the customer's.
 */
const SUBTYPES: Record<string, RegExp> = {
  elasticloadbalancing: /^(?:app|net|gwy)$/,
};

/** IAM paths that AWS itself defines: readable, like the type. */
const IAM_AWS_PATHS: readonly RegExp[] = [/^service-role$/, /^aws-service-role$/, /^aws-reserved$/, /\.amazonaws\.com$/, /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/];

/** Types whose value is one segment: what follows it is a qualifier (an alias, a version). */
const ONE_SEGMENT_TYPES: Record<string, ReadonlySet<string>> = {
  lambda: new Set(["function", "layer"]),
};

/** Keywords that name a kind of sub-resource inside a resource (`table/T/index/I`, `stream/S`). */
const SUBRESOURCE_KEYWORD = /^(?:index|stream|export|import|backup|version|alias|qualifier)$/;

const HTTP_METHOD = /^(?:GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|ANY|\*)$/;
/** A type keyword: a word in lower case, kebab-case or camelCase (`stateMachine`). */
const TYPE_WORD = /^[a-z][A-Za-z0-9-]*$/;
/** A qualifier that names nothing: a revision or version number, a wildcard, `$LATEST`. */
const NAMELESS_QUALIFIER = /^(?:\d+|\*|\$LATEST)$/;

/**
 * Resources AWS publishes to every account, by service: the type and the segment after it.
 * Their names are reserved to AWS (no customer document starts with `AWS-`, no customer
 * parameter with `/aws/`), so they name nothing of the user's and stay readable.
 */
const AWS_PUBLISHED: Record<string, (type: string, first: string) => boolean> = {
  // Public parameters (`parameter/aws/service/ami-…`), and AWS's own documents (`AWS-RunShellScript`).
  ssm: (type, first) => (type === "parameter" && first === "aws") || (type === "document" && /^(?:AWS|Amazon)/.test(first)),
  // Runtime versions (`runtime:HASH`, no account).
  lambda: (type) => type === "runtime",
  // Integrated products (`product/aws/guardduty`, a partner's `product/crowdstrike/…`), standards and rulesets;
  // a custom product is `product/ACCOUNT/default`.
  securityhub: (type, first) => (type === "product" && !/^\d{12}$/.test(first)) || type === "standards" || type === "ruleset",
  // The models themselves (`foundation-model/anthropic.claude-…-v1:0`); custom and provisioned ones are the user's.
  bedrock: (type) => type === "foundation-model",
  // Platforms and solution stacks AWS maintains.
  elasticbeanstalk: (type) => type === "platform" || type === "solutionstack",
};

/** The values to mask in `resource`, in order; empty when it names nothing of the user's. */
export function resourceValues(service: string, resource: string): ResourceValue[] {
  const segs = segments(resource);
  if (service === "s3") return [{ start: 0, end: segs[0]!.end }]; // the bucket; object keys stay readable
  if (service === "execute-api") return executeApiValues(segs);
  // The account's root principal (`arn:aws:iam::ACCOUNT:root`) is a keyword: the account is masked.
  if (service === "iam" && resource === "root") return [];
  if (BARE_NAME_SERVICES.has(service) || segs.length === 1) return [span(segs, 0, segs.length, undefined)];

  // A resource starting with a separator (`/restapis/…`) has its type in the next segment.
  let at = segs[0]!.text === "" ? 1 : 0;
  const type = segs[at]!.text;
  if (!TYPE_WORD.test(type) || at + 1 >= segs.length) return [span(segs, 0, segs.length, undefined)];
  at++;
  if (AWS_PUBLISHED[service]?.(type, segs[at]!.text)) return [];
  const subtypes = SUBTYPES[service];
  while (subtypes && at < segs.length - 1 && subtypes.test(segs[at]!.text)) at++;
  if (service === "iam") while (at < segs.length - 1 && IAM_AWS_PATHS.some((p) => p.test(segs[at]!.text))) at++;
  if (service === "logs" && type === "log-group") return logGroupValues(segs, at);
  if (service === "sts" && type === "assumed-role" && segs.length - at >= 2) {
    // assumed-role/ROLE/SESSION: the role is the same value as in its IAM ARN, the session its own.
    return [span(segs, at, at + 1, "role"), span(segs, at + 1, segs.length, "session")];
  }
  let end = segs.length;
  if (ONE_SEGMENT_TYPES[service]?.has(type)) end = at + 1;
  else while (end - 1 > at && NAMELESS_QUALIFIER.test(segs[end - 1]!.text)) end--;
  // Wildcards around sub-resource keywords (`table/*/index/*`) are policy syntax: no name in them.
  if (segs.slice(at, end).every((seg) => seg.text === "*" || seg.text === "" || SUBRESOURCE_KEYWORD.test(seg.text))) return [];
  return [span(segs, at, end, type)];
}

/** Segments [from, to) as one value. */
function span(segs: Segment[], from: number, to: number, type: string | undefined): ResourceValue {
  return { start: segs[from]!.start, end: segs[to - 1]!.end, type };
}

/** `log-group:/aws/lambda/NAME[:log-stream:STREAM][:*]`: AWS's `/aws/SERVICE/` prefix stays. */
function logGroupValues(segs: Segment[], at: number): ResourceValue[] {
  if (segs[at]!.text === "" && segs[at + 1]?.text === "aws" && at + 3 < segs.length) at += 3;
  let end = at;
  while (end < segs.length && !(segs[end]!.text === "log-stream" && segs[end - 1]!.sep === ":")) end++;
  const values: ResourceValue[] = [];
  let groupEnd = end;
  while (groupEnd - 1 > at && segs[groupEnd - 1]!.text === "*") groupEnd--;
  if (groupEnd > at) values.push(span(segs, at, groupEnd, "log-group"));
  if (end + 1 < segs.length) values.push(span(segs, end + 1, segs.length, "log-stream"));
  return values;
}

/** `API_ID/STAGE/METHOD/PATH`: the method and wildcards stay readable; id, stage and path are masked. */
function executeApiValues(segs: Segment[]): ResourceValue[] {
  const values: ResourceValue[] = [span(segs, 0, 1, "api")];
  if (segs.length > 1 && segs[1]!.text !== "*") values.push(span(segs, 1, 2, "stage"));
  let path = 2;
  if (path < segs.length && HTTP_METHOD.test(segs[path]!.text)) path++;
  if (path < segs.length && segs.slice(path).some((s) => s.text !== "*" && s.text !== "")) values.push(span(segs, path, segs.length, "path"));
  return values;
}
