/** Prompt templates for /v1/claude-code/analyze: one per analysis type, read-only tools only. */

export const ANALYSIS_TYPES = ["security", "aws", "performance", "quality"] as const;
export type AnalysisType = (typeof ANALYSIS_TYPES)[number];

export const ANALYZE_TOOLS = ["Read", "Grep", "Glob"];

const FOCUS: Record<AnalysisType, string> = {
  security:
    "Review it for security problems: injection, unsafe deserialisation, hard-coded credentials, weak crypto, missing authentication or authorisation, secrets in logs, and risky dependencies.",
  aws:
    "Review its AWS usage: IAM policies broader than needed, public S3 buckets or security groups, missing encryption, resources without tags, region or account assumptions, and cost traps.",
  performance:
    "Review it for performance problems: algorithmic complexity, needless I/O or allocations, N+1 queries, blocking calls on hot paths, and missing caching or batching.",
  quality:
    "Review its code quality: readability, naming, duplication, error handling, test coverage gaps, and module boundaries.",
};

export function analysisPrompt(type: AnalysisType, target: string, specific?: string): string {
  return [
    `Analyse the code at \`${target}\` (relative to the current directory). Use only the Read, Grep and Glob tools; do not modify anything.`,
    FOCUS[type],
    specific ? `Pay particular attention to: ${specific}` : "",
    "Answer with a prioritised list of findings; for each give the file and line, why it matters, and the fix.",
  ]
    .filter(Boolean)
    .join("\n\n");
}
