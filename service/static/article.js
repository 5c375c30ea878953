// The article view: the text with each quote marked by stance, the quote table, its CSV.

import { postJson } from "./api.js";
import { writeCsv } from "./csv.js";
import { correctionControl } from "./corrections.js";
import { clear, downloadText, el, percent, STANCE_ICONS, stanceChip } from "./dom.js";
import { contextFields, explainInto, predictionSummary } from "./explain.js";

// The service counts characters as Python does (code points); JavaScript strings count
// UTF-16 units. They differ only after a character outside the Basic Multilingual Plane.
export function unitOffsets(text) {
  if (!/[\uD800-\uDFFF]/.test(text)) return (offset) => offset;
  const units = [];
  let unit = 0;
  for (const character of text) {
    units.push(unit);
    unit += character.length;
  }
  units.push(unit);
  return (offset) => units[offset];
}

const SORTERS = {
  order: (a, b) => a.order - b.order,
  speaker: (a, b) => (a.speaker === null) - (b.speaker === null) || (a.speaker || "").localeCompare(b.speaker || "") || a.order - b.order,
  quote: (a, b) => a.quote.localeCompare(b.quote) || a.order - b.order,
  stance: (a, b) => a.stance.localeCompare(b.stance) || b.confidence - a.confidence,
  confidence: (a, b) => a.confidence - b.confidence || a.order - b.order,
};

// The speaker as the article writes them at the quote, and their fullest name when it differs.
function speakerName(quote) {
  if (quote.speaker === null) return "speaker not found";
  const full = quote.speaker_full;
  const name = full && full !== quote.speaker ? `${quote.speaker} (${full})` : quote.speaker;
  return quote.speaker_role ? `${name}, ${quote.speaker_role}` : name;
}

export class ArticleView {
  constructor(elements, onVersion) {
    this.e = elements;
    this.onVersion = onVersion;
    this.quotes = [];
    this.text = "";
    this.sort = { key: "order", ascending: true };
    for (const header of this.e.table.querySelectorAll("th[data-key]")) {
      header.querySelector("button").addEventListener("click", () => this.sortBy(header.dataset.key));
    }
    this.e.download.addEventListener("click", () => this.download());
  }

  async extract(text) {
    const answer = await postJson("v1/extract", { text });
    this.onVersion(answer.model_version);
    this.text = text;
    const toUnit = unitOffsets(text);
    this.quotes = answer.quotes.map((quote, i) => {
      const start = toUnit(quote.start);
      const end = toUnit(quote.end);
      // What a correction of this quote sends (one object per quote: the table redraws keep it).
      const correction = { text: quote.quote, speaker: quote.speaker, speaker_role: quote.speaker_role,
        predicted: quote.stance, model_version: answer.model_version };
      return { ...quote, order: i + 1, unitStart: start, unitEnd: end, located: text.slice(start, end) === quote.quote, correction };
    });
    this.sort = { key: "order", ascending: true };
    this.renderArticle();
    this.renderTable();
    this.e.detail.hidden = true;
    this.e.results.hidden = false;
    return this.quotes;
  }

  renderArticle() {
    const view = this.e.view;
    clear(view);
    let at = 0;
    for (const quote of [...this.quotes].sort((a, b) => a.unitStart - b.unitStart)) {
      // A quote inside another (should the finder ever give one) stays in the table only.
      if (!quote.located || quote.unitStart < at) continue;
      view.append(this.text.slice(at, quote.unitStart), this.quoteElement(quote));
      at = quote.unitEnd;
    }
    view.append(this.text.slice(at));
  }

  quoteElement(quote) {
    const speaker = quote.speaker ?? "speaker not found";
    const tag = el(
      "span",
      { className: "quote-tag" },
      el("span", { className: "stance-icon", "aria-hidden": "true", text: STANCE_ICONS[quote.stance] }),
      " ",
      el("span", { className: quote.speaker === null ? "tag-speaker unknown" : "tag-speaker", text: speaker }),
      el("span", { className: "tag-separator", text: " \u00B7 " }),
      el("span", { className: "tag-stance", text: quote.stance }),
      " ",
      el("span", { className: "tag-confidence", text: percent(quote.confidence) }),
      el("span", { className: "visually-hidden", text: ": " }),
    );
    const why = el("button", {
      type: "button",
      className: "why",
      text: "why?",
      "aria-label": `Why ${quote.stance}? Quote ${quote.order}, ${speaker}`,
    });
    why.addEventListener("click", () => this.showDetail(quote));
    return el(
      "span",
      {
        className: `quote stance-${quote.stance}`,
        id: `quote-${quote.order}`,
        tabindex: "-1",
        dataset: { order: quote.order, stance: quote.stance, speaker: quote.speaker ?? "" },
      },
      tag,
      el("mark", { className: "quote-words", text: this.text.slice(quote.unitStart, quote.unitEnd) }),
      " ",
      why,
    );
  }

  sortBy(key) {
    if (this.sort.key === key) this.sort.ascending = !this.sort.ascending;
    else this.sort = { key, ascending: key !== "confidence" };
    this.renderTable();
  }

  sortedQuotes() {
    const sorted = [...this.quotes].sort(SORTERS[this.sort.key]);
    return this.sort.ascending ? sorted : sorted.reverse();
  }

  renderTable() {
    for (const header of this.e.table.querySelectorAll("th[data-key]")) {
      if (header.dataset.key === this.sort.key) header.setAttribute("aria-sort", this.sort.ascending ? "ascending" : "descending");
      else header.removeAttribute("aria-sort");
    }
    const body = this.e.table.tBodies[0];
    clear(body);
    if (!this.quotes.length) {
      body.append(el("tr", {}, el("td", { colspan: 5, text: "No quotes found in this text." })));
      return;
    }
    for (const quote of this.sortedQuotes()) {
      const words = quote.located
        ? el("a", { href: `#quote-${quote.order}`, text: quote.quote })
        : el("span", { text: quote.quote });
      body.append(
        el(
          "tr",
          { dataset: { order: quote.order } },
          el("td", { className: "number", "data-label": "#", text: quote.order }),
          el("td", { "data-label": "Speaker", className: quote.speaker === null ? "unknown" : null },
            quote.speaker ?? "not found",
            ...(quote.speaker_role ? [el("span", { className: "speaker-role", text: `, ${quote.speaker_role}` })] : [])),
          el("td", { "data-label": "Quote", className: "quote-cell" }, words,
            el("div", { className: "correct-line" }, correctionControl(quote.correction, `Quote ${quote.order}`))),
          el("td", { "data-label": "Stance" }, stanceChip(quote.stance)),
          el("td", { "data-label": "Confidence", className: "number", text: percent(quote.confidence) }),
        ),
      );
    }
  }

  showDetail(quote) {
    const body = this.e.detailBody;
    const terms = el("div", { className: "terms-box" });
    body.replaceChildren(
      el("p", { className: "detail-speaker", text: `Quote ${quote.order}: ${speakerName(quote)}` }),
      el("blockquote", { text: quote.quote }),
      predictionSummary(quote),
      terms,
    );
    this.e.detail.hidden = false;
    this.e.detailHeading.focus();
    // What the model read for this quote: its context when the service gives it, else its words.
    const toUnit = unitOffsets(this.text);
    const scored = Number.isInteger(quote.context_start) && Number.isInteger(quote.context_end)
      ? this.text.slice(toUnit(quote.context_start), toUnit(quote.context_end))
      : quote.quote;
    explainInto(terms, scored, quote.stance, contextFields(quote.speaker, quote.speaker_role));
  }

  csvText() {
    const rows = [["speaker", "quote", "stance", "confidence", "prob_support", "prob_oppose", "prob_neutral", "start", "end"]];
    for (const q of this.sortedQuotes()) {
      const p = q.probabilities;
      rows.push([q.speaker ?? "", q.quote, q.stance, q.confidence.toFixed(4), p.support.toFixed(4), p.oppose.toFixed(4), p.neutral.toFixed(4), q.start, q.end]);
    }
    return writeCsv(rows);
  }

  download() {
    downloadText(this.csvText(), "quotes.csv");
  }
}
