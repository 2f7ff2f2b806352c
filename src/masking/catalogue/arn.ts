/**
 * ARNs in every partition (aws, aws-cn, aws-us-gov, and the isolated ones). By default an ARN
 * is masked by parts so the model can still read it: the account becomes the same
 * AWS_ACCOUNT_NNN it is everywhere else, the resource name gets its own surrogate, and
 * partition, service, region and resource type stay as they are:
 *   arn:aws:iam::123456789012:role/deploy → arn:aws:iam::AWS_ACCOUNT_001:role/AWS_IAM_ROLE_001
 * `ARN_MODE=whole` gives one AWS_ARN_NNN per ARN instead. AWS-owned ARNs (account `aws`,
 * e.g. managed policies) name nothing of the user's and are left alone.
 * `:` and `/` may also appear URL-encoded (%3A, %2F) or JSON-escaped (\/).
 */
import { LEFT, type CatalogueEntry, type Match } from "../types.ts";
import { resourceValues } from "./arn-resource.ts";

const SEP = "(?::|%3[Aa]|%253[Aa])";
// No `,`: IAM allows it in names, but ARNs sit in CSV columns (credential reports, Cost and
// Usage Reports) far more often, and a comma there would carry the rest of the row into the name.
const RESOURCE_CHAR = String.raw`(?:[A-Za-z0-9_.+=@*?$#!~-]|/|\\/|%2[Ff]|%3[Aa]|%252[Ff]|%253[Aa]|:)`;
const ARN = new RegExp(
  // The resource is not captured: a capture around a loop of alternatives costs JavaScriptCore
  // time per character (seconds on a long resource); `expand` reads it after the group `head`.
  String.raw`(?<head>arn(?<=${LEFT}arn)${SEP}(?<partition>aws(?:-cn|-us-gov|-iso|-iso-[a-z])?)${SEP}(?<service>[a-z0-9-]+)${SEP}(?<region>[a-z0-9-]*)${SEP}(?<account>\d{12}|aws|)${SEP})(?:(?!arn(?::|%3[Aa]|%253[Aa]))${RESOURCE_CHAR})+`,
  "g",
);

const ACCOUNT_PREFIX = "AWS_ACCOUNT";
const ACCOUNT_PRIORITY = 10;

/** Surrogate prefix for a resource name: AWS_<SERVICE>_<TYPE>, e.g. AWS_IAM_ROLE. */
function resourcePrefix(service: string, resourceType: string | undefined): string {
  if (service === "s3") return "AWS_S3_BUCKET";
  // Segments of capitals and digits, each with a letter (surrogate-grammar.ts): `123` → `N123`.
  const clean = (s: string) =>
    s
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, "_")
      .replace(/^_|_$/g, "")
      .split("_")
      .map((segment) => (/[A-Z]/.test(segment) ? segment : `N${segment}`))
      .join("_");
  const segments = `AWS_${clean(service)}_${resourceType ? clean(resourceType) : "RESOURCE"}`.split("_").slice(0, 6);
  while (segments.length > 2 && segments.join("_").length > 48) segments.pop();
  return segments.join("_");
}

const isAlnum = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
const isHex = (code: number) => isAlnum(code) && /[0-9A-Fa-f]/.test(String.fromCharCode(code));

/**
 * Drops trailing separators, escapes (`%2F`, `\/`) and punctuation from a resource name,
 * walking back from its end (a regex anchored at `$` would be tried at every position of the
 * name, once per character dropped).
 */
function trimName(name: string): string {
  let end = name.length;
  while (end > 0) {
    const code = name.charCodeAt(end - 1);
    if (end >= 3 && name.charCodeAt(end - 3) === 0x25 /* % */ && isHex(name.charCodeAt(end - 2)) && isHex(code)) end -= 3;
    else if (end >= 2 && code === 0x2f && name.charCodeAt(end - 2) === 0x5c) end -= 2;
    else if (!isAlnum(code)) end -= 1;
    else break;
  }
  return name.slice(0, end);
}

/** How many characters of separators and escapes (`/`, `%2F`, `\\/`) a value starts with. */
function leadingJunk(name: string): number {
  let at = 0;
  while (at < name.length) {
    if (name.charCodeAt(at) === 0x25 && at + 2 < name.length && isHex(name.charCodeAt(at + 1)) && isHex(name.charCodeAt(at + 2))) at += 3;
    else if (!isAlnum(name.charCodeAt(at))) at += 1;
    else break;
  }
  return at;
}

/** Drops trailing sentence punctuation (`.,:;!?`) from a resource. */
function trimPunctuation(resource: string): string {
  let end = resource.length;
  while (end > 0 && ".,:;!?".includes(resource.charAt(end - 1))) end--;
  return resource.slice(0, end);
}

export function arnEntries(mode: "parts" | "whole"): CatalogueEntry[] {
  return [
    {
      type: "arn",
      prefix: "AWS_ARN",
      priority: 5,
      pattern: ARN,
      // At the separator after `arn`: far rarer than its letters.
      triggers: [
        { chars: ":", when: "(?<=arn:)", back: [3] },
        { chars: "%", when: "(?<=arn%)(?=3[Aa]|253[Aa])", back: [3] },
      ],
      expand(value, index, groups) {
        const { service = "", account = "", head = "" } = groups;
        if (account === "aws") return []; // AWS-owned: nothing of the user's
        const resource = value.slice(head.length);
        // Trailing punctuation belongs to the sentence, not the ARN.
        const trimmed = trimPunctuation(resource);
        const resourceStart = value.length - resource.length;
        const arnEnd = index + resourceStart + trimmed.length;
        if (mode === "whole") return [{ start: index, end: arnEnd, type: "arn", prefix: "AWS_ARN", priority: 5 }];
        const parts: Match[] = [];
        if (account) {
          const accountStart = index + value.lastIndexOf(account, resourceStart);
          parts.push({ start: accountStart, end: accountStart + 12, type: "aws_account_id", prefix: ACCOUNT_PREFIX, priority: ACCOUNT_PRIORITY });
        }
        for (const value of resourceValues(service, trimmed)) {
          // A surrogate must start and end on a letter or digit to be found again on restore:
          // separators, `=`, `-`, `*`… at either end stay outside the masked value.
          const end = value.start + trimName(trimmed.slice(value.start, value.end)).length;
          const start = value.start + leadingJunk(trimmed.slice(value.start, end));
          const name = trimmed.slice(start, end);
          // Wildcards and empty names are policy syntax, not identifiers.
          if (!/[A-Za-z0-9]/.test(name) || /^[*?]+$/.test(name)) continue;
          const prefix = resourcePrefix(service, value.type);
          parts.push({
            start: index + resourceStart + start,
            end: index + resourceStart + end,
            type: prefix.toLowerCase().replace(/^aws_/, "arn_"),
            prefix,
            priority: 5,
          });
        }
        return parts;
      },
    },
  ];
}
