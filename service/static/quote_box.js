// The one-line score box: the stance of a single quote, and on demand the terms behind it.

import { postJson } from "./api.js";
import { correctionControl } from "./corrections.js";
import { el } from "./dom.js";
import { explainInto, predictionSummary } from "./explain.js";

// `context`: the speaker and speaker_role the reporter typed (absent when not known).
export async function scoreQuote(text, result, onVersion, context = {}) {
  const answer = await postJson("v1/score", { text, ...context });
  onVersion(answer.model_version);
  const terms = el("div", { className: "terms-box" });
  const why = el("button", { type: "button", className: "secondary", text: "Why this stance?", "aria-expanded": "false" });
  why.addEventListener("click", () => {
    why.setAttribute("aria-expanded", "true");
    why.disabled = true;
    explainInto(terms, text, answer.stance, context);
  });
  const correction = correctionControl({ text, speaker: context.speaker, speaker_role: context.speaker_role,
    predicted: answer.stance, model_version: answer.model_version });
  result.replaceChildren(predictionSummary(answer), why, el("p", { className: "correct-line" }, correction), terms);
  return answer;
}
