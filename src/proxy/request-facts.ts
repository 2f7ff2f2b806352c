/**
 * What the request log says about a call's request: the model asked for and whether the answer
 * streams. The model field is never masked (the provider needs it) and a client fills it, so
 * the log shows it only when it reads like a model name.
 */

export interface RequestFacts {
  model?: string;
  stream?: boolean;
}

const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@\/-]{0,99}$/;

/** What the log says of a model: its name, `arn` for an ARN (it holds an account ID), or `other`. */
function loggedModel(model: string): string {
  if (model.startsWith("arn:")) return "arn";
  return MODEL_NAME.test(model) ? model : "other";
}

export function requestFacts(model: unknown, stream: unknown): RequestFacts {
  return {
    model: typeof model === "string" ? loggedModel(model) : undefined,
    stream: typeof stream === "boolean" ? stream : undefined,
  };
}

/** The same from members' JSON texts (the re-sent history path keeps pieces, not a parsed body). */
export function requestFactsFromJson(model: string | undefined, stream: string | undefined): RequestFacts {
  const parse = (text: string | undefined): unknown => {
    if (text === undefined || text.length > 512) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  return requestFacts(parse(model), parse(stream));
}
