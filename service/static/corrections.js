// Corrections and the stance-by-speaker chart: a control that sends a reporter's stance for a
// quote to POST v1/corrections, and a plain SVG of an article's stances counted by speaker.

import { postJson } from "./api.js";
import { el, STANCE_LABELS } from "./dom.js";

// What was saved for a quote (the same object across re-sorts of the table), so a redrawn
// control still says so.
const saved = new WeakMap();

// `quote`: { text, speaker, speaker_role, predicted, model_version }, as the model gave them.
export function correctionControl(quote, label = "Correct the stance") {
  const select = el("select", { className: "correct-select", "aria-label": `${label}: the right stance` },
    ...STANCE_LABELS.map((stance) => el("option", { value: stance, text: stance })));
  select.value = quote.predicted;
  const button = el("button", { type: "button", className: "secondary correct-save", text: "Save" });
  const status = el("span", { className: "correct-status", role: "status", "aria-live": "polite" });
  const done = saved.get(quote);
  if (done) {
    select.value = done.label;
    status.textContent = `Saved: ${done.label}`;
  }
  button.addEventListener("click", async () => {
    status.classList.remove("error");
    if (select.value === quote.predicted && !saved.get(quote)) {
      status.textContent = `The model said ${quote.predicted} too: choose the right stance first.`;
      return;
    }
    button.disabled = true;
    status.textContent = "Saving…";
    try {
      const stored = await postJson("v1/corrections", {
        text: quote.text,
        label: select.value,
        speaker: quote.speaker || null,
        speaker_role: quote.speaker_role || null,
        predicted: quote.predicted,
        model_version: quote.model_version || null,
      });
      saved.set(quote, stored);
      status.textContent = `Saved: ${stored.label}`;
    } catch (error) {
      status.textContent = `Not saved. ${error.message}`;
      status.classList.add("error");
    } finally {
      button.disabled = false;
    }
  });
  return el("span", { className: "correct" }, el("span", { className: "correct-label", "aria-hidden": "true", text: "Correct: " }),
    select, " ", button, " ", status);
}

// Counts per speaker and label, speakers by number of quotes (then by name).
export function stancesBySpeaker(quotes) {
  const counts = new Map();
  for (const quote of quotes) {
    // One bar a person: their fullest name when the service gives it ("Ras Baraka" for "Baraka").
    const name = quote.speaker_full || quote.speaker || "speaker not found";
    if (!counts.has(name)) counts.set(name, { speaker: name, support: 0, oppose: 0, neutral: 0, total: 0 });
    const row = counts.get(name);
    row[quote.stance] += 1;
    row.total += 1;
  }
  return [...counts.values()].sort((a, b) => b.total - a.total || a.speaker.localeCompare(b.speaker));
}

const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== null) node.textContent = text;
  return node;
}

// A horizontal stacked bar a speaker: one segment a label, its count written in it.
export function speakerChart(quotes) {
  const rows = stancesBySpeaker(quotes);
  const bar = 22, gap = 8, nameWidth = 170, barWidth = 230, top = 4;
  const most = Math.max(1, ...rows.map((row) => row.total));
  const height = top + rows.length * (bar + gap);
  const chart = svg("svg", {
    class: "speaker-chart", role: "img", width: nameWidth + barWidth + 40, height,
    viewBox: `0 0 ${nameWidth + barWidth + 40} ${height}`, "aria-labelledby": "speaker-chart-title",
  });
  const summary = rows.map((row) => `${row.speaker}: ${STANCE_LABELS.map((s) => `${row[s]} ${s}`).join(", ")}`).join("; ");
  chart.append(svg("title", { id: "speaker-chart-title" }, `Stances by speaker. ${summary}.`));
  rows.forEach((row, i) => {
    const y = top + i * (bar + gap);
    const name = row.speaker.length > 24 ? `${row.speaker.slice(0, 23)}…` : row.speaker;
    chart.append(svg("text", { x: nameWidth - 8, y: y + bar / 2, "text-anchor": "end", "dominant-baseline": "middle", class: "chart-name" }, name));
    let x = nameWidth;
    for (const stance of STANCE_LABELS) {
      if (!row[stance]) continue;
      const width = (row[stance] / most) * barWidth;
      const group = svg("g", { class: `chart-segment stance-${stance}`, "data-stance": stance, "data-speaker": row.speaker });
      group.append(svg("rect", { x, y, width, height: bar }), svg("text", {
        x: x + width / 2, y: y + bar / 2, "text-anchor": "middle", "dominant-baseline": "middle",
      }, String(row[stance])));
      chart.append(group);
      x += width;
    }
  });
  return chart;
}

export function drawSpeakerChart(container, quotes) {
  container.replaceChildren();
  container.hidden = !quotes.length;
  if (quotes.length) container.append(el("h3", { text: "Stances by speaker" }), speakerChart(quotes));
}
