// A prediction shown in full: the three probabilities, and on demand the terms behind it.

import { postJson } from "./api.js";
import { el, percent, stanceChip, STANCE_LABELS } from "./dom.js";

export function probabilityList(probabilities) {
  return el(
    "ul",
    { className: "probabilities", "aria-label": "Probabilities" },
    ...STANCE_LABELS.map((label) =>
      el(
        "li",
        { className: `stance-${label}` },
        el("span", { className: "prob-label", text: label }),
        el("meter", { min: 0, max: 1, value: probabilities[label], "aria-hidden": "true" }),
        el("span", { className: "prob-value", text: percent(probabilities[label]) }),
      ),
    ),
  );
}

const CONTEXT_TERMS = { role: "word of the speaker's role", kind: "kind of office", speaker: "the speaker's name" };

// The speaker and role worth sending: the non-blank ones ({} when neither is known).
export function contextFields(speaker, role) {
  const fields = {};
  if (speaker && speaker.trim()) fields.speaker = speaker.trim();
  if (role && role.trim()) fields.speaker_role = role.trim();
  return fields;
}

// "cue:oppose:attack" is a group of the model's cue phrases; "role:", "kind:" and "speaker:"
// terms come from who spoke; anything else is a word stem or a pair.
function termName(term) {
  const context = /^(role|kind|speaker):(.+)$/.exec(term);
  if (context) return el("span", {}, `${context[2].replaceAll("_", " ")} `, el("span", { className: "term-kind", text: `(${CONTEXT_TERMS[context[1]]})` }));
  const cue = /^cue:(\w+):(.+)$/.exec(term);
  if (cue) return el("span", {}, `${cue[2].replaceAll("_", " ")} `, el("span", { className: "term-kind", text: `(${cue[1]} cue phrases)` }));
  return el("span", { className: "term-stem", text: term });
}

export function termsTable(terms, stance) {
  if (!terms.length) return el("p", { text: "No term of the model occurs in this text: the stance comes from the model's prior alone." });
  return el(
    "table",
    { className: "terms" },
    el("caption", { text: `Terms that weighed most (positive pushes toward ${stance})` }),
    el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Term" }), el("th", { scope: "col", text: "Weight" }), el("th", { scope: "col", text: "Effect" }))),
    el(
      "tbody",
      {},
      ...terms.map(({ term, weight }) =>
        el(
          "tr",
          {},
          el("td", {}, termName(term)),
          el("td", { className: "number", text: weight.toFixed(3) }),
          el("td", { text: weight >= 0 ? `toward ${stance}` : `away from ${stance}` }),
        ),
      ),
    ),
  );
}

// Ask the service which terms drove the stance of `text`; the terms table, or a message.
export async function explainInto(container, text, shownStance, context = {}) {
  container.replaceChildren(el("p", { className: "status", text: "Asking the model which terms weighed most…" }));
  try {
    const answer = await postJson("v1/score", { text, ...context, explain: true });
    const parts = [];
    if (shownStance && answer.stance !== shownStance) {
      parts.push(
        el("p", {
          className: "note",
          text: `On the quote's own words the model reads ${answer.stance} (${percent(answer.confidence)}); the stance shown, ${shownStance}, was scored with the sentence around this short quote. The terms below are those of the quote's own words.`,
        }),
      );
    }
    parts.push(termsTable(answer.explanation || [], answer.stance));
    parts.push(el("p", { className: "hint", text: "Terms are word stems (\u201Cpolici\u201D stands for policy and policies), word pairs, groups of cue phrases, and what is known of the speaker." }));
    container.replaceChildren(...parts);
  } catch (error) {
    container.replaceChildren(el("p", { className: "error", role: "alert", text: error.message }));
  }
}

// The stance, confidence and probabilities of one prediction, for a heading area.
export function predictionSummary(prediction) {
  return el(
    "div",
    { className: "prediction" },
    el("p", { className: "prediction-line" }, stanceChip(prediction.stance), " ", el("span", { text: `confidence ${percent(prediction.confidence)}` })),
    probabilityList(prediction.probabilities),
  );
}
