/** POST /v1/mask and /v1/unmask for other tools in the user's pipeline, tenant-scoped. */
import { badRequest } from "../../errors.ts";
import type { Masker } from "../../masking/masker.ts";
import type { MaskedEntity } from "../../masking/types.ts";
import { readJsonObject } from "../body.ts";
import type { AuthedContext } from "./context.ts";

function textOf(body: Record<string, unknown>): string {
  if (typeof body.text !== "string") throw badRequest('Send {"text": "…"}: the field "text" must be a string.');
  return body.text;
}

/** Masks texts as the content of a request to /v1/messages is masked. */
export interface LooseTextMasker {
  maskLooseTexts(tenant: string, texts: readonly string[]): Promise<{ masked: string[]; entities: MaskedEntity[] }>;
}

export function maskHandlers(preview: LooseTextMasker, masker: Pick<Masker, "unmaskTexts">, maxBodyBytes: number) {
  return {
    /** What /v1/messages would send for this text. Never returns originals: the entities list only types and surrogates. */
    async mask({ tenant, request }: AuthedContext) {
      const text = textOf(await readJsonObject(request, maxBodyBytes));
      const { masked, entities } = await preview.maskLooseTexts(tenant, [text]);
      return { text: masked[0], entities: entities.map(({ type, surrogate }) => ({ type, surrogate })) };
    },
    async unmask({ tenant, request }: AuthedContext) {
      const text = textOf(await readJsonObject(request, maxBodyBytes));
      const { texts, restored } = await masker.unmaskTexts(tenant, [text]);
      return { text: texts[0], entities: restored };
    },
  };
}
