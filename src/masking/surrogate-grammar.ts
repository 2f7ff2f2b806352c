/**
 * What a surrogate looks like, in one place: the literal entry masks text of this shape that a
 * user typed, and the restorers read it back; both must see the same spans. A surrogate is a
 * root (AWS, SECRET, IP, LITERAL, or a user pattern's), up to MAX_SEGMENTS segments of capitals
 * and digits, each with a letter, and a number: `AWS_EC2_001`, `AWS_IAM_ROLE_001`. Tokens start
 * and end as boundary.ts says, `_` included, so `backup_AWS_EC2_001_old` holds `AWS_EC2_001`, and
 * `AWS_EC2_001_AWS_EC2_002` two surrogates.
 *
 * The shortest reading wins (`AWS_EC2_001` in `AWS_EC2_001_500`), which is why a prefix segment
 * is never all digits (see `isSurrogatePrefix`). Segments are bounded in count and length, so
 * a run of `AWS_AWS_AWS_…` costs a bounded read per start, not a read to its end.
 */
import { TOKEN_END, TOKEN_START } from "./boundary.ts";

const MAX_SEGMENTS = 8;
const MAX_SEGMENT_LENGTH = 40;

/** After the root: the segments and the number (regex source, no lookbehind). */
export const AFTER_ROOT = `(?:_[A-Z0-9]{1,${MAX_SEGMENT_LENGTH}}){0,${MAX_SEGMENTS}}?_\\d{3,12}${TOKEN_END}`;

/** A whole surrogate of one of `roots`, at a token start (regex source). */
export function surrogateSource(roots: readonly string[]): string {
  return `${TOKEN_START}(?:${rootAlternatives(roots)})${AFTER_ROOT}`;
}

/** The roots as a regex alternation, longest first. */
export function rootAlternatives(roots: readonly string[]): string {
  return [...new Set(roots)].sort((a, b) => b.length - a.length).join("|");
}

/** A surrogate prefix (`AWS_EC2`, `CORP_HOST`): segments of capitals and digits, each with a letter. */
export function isSurrogatePrefix(prefix: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:_[0-9]*[A-Z][A-Z0-9]*)*$/.test(prefix) && prefix.split("_").length <= MAX_SEGMENTS;
}
