// Wires the page: the key field, the article box, the score box and the CSV drop zone.

import { storedKey, storeKey, useKeySource } from "./api.js";
import { ArticleView } from "./article.js";
import { drawSpeakerChart } from "./corrections.js";
import { CsvError, guessTextColumn, readTable, scoredCsv, scoreTable, stanceCounts } from "./batch.js";
import { downloadText, el } from "./dom.js";
import { contextFields } from "./explain.js";
import { scoreQuote } from "./quote_box.js";

const $ = (id) => document.getElementById(id);
const body = document.body;
const limits = {
  maxBatch: Number(body.dataset.maxBatch) || 1000,
  maxTextChars: Number(body.dataset.maxTextChars) || 100000,
  maxBodyBytes: Number(body.dataset.maxBodyBytes) || 1048576,
  maxContextChars: Number(body.dataset.maxContextChars) || 200,
};
const number = new Intl.NumberFormat("en");

// --- the key ---------------------------------------------------------------------------
const keyField = $("api-key");
keyField.value = storedKey();
useKeySource(() => keyField.value.trim());
keyField.addEventListener("input", () => {
  storeKey(keyField.value.trim());
  keyField.removeAttribute("aria-invalid");
});
$("forget-key").addEventListener("click", () => {
  keyField.value = "";
  storeKey("");
  keyField.focus();
});
$("key-form").addEventListener("submit", (event) => event.preventDefault());
$("key-need").textContent = body.dataset.auth === "required"
  ? "This service needs a key for every request."
  : "This service does not ask for a key.";

// A message in a status line; on a 401, the key field is marked and offered for a new key.
function report(status, error) {
  status.textContent = error.message;
  status.classList.add("error");
  if (error.status === 401) keyField.setAttribute("aria-invalid", "true");
}

function say(status, message) {
  status.textContent = message;
  status.classList.remove("error");
}

function showVersion(version) {
  if (version) $("model-version").textContent = `Model ${version}`;
}

// --- the article -----------------------------------------------------------------------
const articleText = $("article-text");
const articleStatus = $("article-status");
const articleView = new ArticleView(
  {
    results: $("article-results"),
    view: $("article-view"),
    table: $("quote-table"),
    download: $("download-quotes"),
    detail: $("quote-detail"),
    detailBody: $("detail-body"),
    detailHeading: $("detail-heading"),
  },
  showVersion,
);

function countCharacters() {
  const length = articleText.value.length;
  $("article-count").textContent = `${number.format(length)} of at most ${number.format(limits.maxTextChars)} characters`;
}
articleText.addEventListener("input", countCharacters);
countCharacters();

$("article-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = articleText.value;
  if (!text.trim()) {
    say(articleStatus, "Paste the text of an article first.");
    articleText.focus();
    return;
  }
  if (text.length > limits.maxTextChars) {
    report(articleStatus, new Error(`The article is ${number.format(text.length)} characters; this service takes at most ${number.format(limits.maxTextChars)}. Paste a shorter part.`));
    return;
  }
  const button = $("article-submit");
  button.disabled = true;
  say(articleStatus, "Finding the quotes…");
  try {
    const quotes = await articleView.extract(text);
    drawSpeakerChart($("speaker-chart"), quotes);
    const counts = { support: 0, oppose: 0, neutral: 0 };
    for (const quote of quotes) counts[quote.stance] += 1;
    const named = quotes.filter((quote) => quote.speaker !== null).length;
    say(
      articleStatus,
      quotes.length
        ? `Found ${quotes.length} quote${quotes.length === 1 ? "" : "s"}, ${named} with a speaker: ${counts.support} support, ${counts.oppose} oppose, ${counts.neutral} neutral.`
        : "No quotes found in this text.",
    );
  } catch (error) {
    report(articleStatus, error);
  } finally {
    button.disabled = false;
  }
});
$("article-clear").addEventListener("click", () => {
  articleText.value = "";
  countCharacters();
  $("article-results").hidden = true;
  say(articleStatus, "");
  articleText.focus();
});

// --- one quote -------------------------------------------------------------------------
const quoteResult = $("quote-result");
$("quote-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("quote-text").value;
  if (!text.trim()) {
    quoteResult.replaceChildren(el("p", { className: "status", text: "Type or paste a quote first." }));
    $("quote-text").focus();
    return;
  }
  $("quote-submit").disabled = true;
  quoteResult.replaceChildren(el("p", { className: "status", text: "Scoring…" }));
  try {
    await scoreQuote(text, quoteResult, showVersion, contextFields($("quote-speaker").value, $("quote-role").value));
  } catch (error) {
    if (error.status === 401) keyField.setAttribute("aria-invalid", "true");
    quoteResult.replaceChildren(el("p", { className: "status error", text: error.message }));
  } finally {
    $("quote-submit").disabled = false;
  }
});

// --- a CSV file ------------------------------------------------------------------------
const csv = {
  table: null,
  fileName: "",
  output: null,
  controller: null,
  running: null,
  status: $("csv-status"),
  column: $("csv-column"),
};

async function openFile(file) {
  if (csv.controller) {
    // A new file replaces the one being scored.
    csv.controller.abort();
    await csv.running;
  }
  $("csv-done").hidden = true;
  csv.output = null;
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    csv.table = readTable(bytes, file.name);
    csv.fileName = file.name;
  } catch (error) {
    csv.table = null;
    $("csv-options").hidden = true;
    report(csv.status, error instanceof CsvError ? error : new Error(`${file.name}: ${error.message}`));
    return;
  }
  const { header, rows, encoding } = csv.table;
  csv.column.replaceChildren(...header.map((name) => el("option", { value: name, text: name || "(unnamed column)" })));
  const guess = guessTextColumn(header);
  if (guess !== null) csv.column.value = guess;
  $("csv-options").hidden = false;
  const read = `${file.name}: ${number.format(rows.length)} row${rows.length === 1 ? "" : "s"}, ${header.length} column${header.length === 1 ? "" : "s"}${encoding === "UTF-8" ? "" : ` (read as ${encoding}: the file is not UTF-8)`}.`;
  if (!rows.length) {
    report(csv.status, new Error(`${read} There are no rows to score.`));
  } else if (guess === "text") {
    say(csv.status, read);
    csv.running = scoreFile(); // the contract's column name: nothing to ask
  } else {
    say(csv.status, `${read} Choose the column with the quote text, then score the rows.`);
    csv.column.focus();
  }
}

async function scoreFile() {
  if (!csv.table || !csv.table.rows.length || csv.controller) return;
  const column = csv.column.value;
  const total = csv.table.rows.length;
  const bar = $("csv-progress");
  csv.controller = new AbortController();
  $("csv-done").hidden = true;
  $("csv-progress-line").hidden = false;
  $("csv-stop").hidden = false;
  $("csv-score").disabled = true;
  bar.max = total;
  bar.value = 0;
  try {
    const outcome = await scoreTable(csv.table, column, limits, {
      signal: csv.controller.signal,
      onVersion: showVersion,
      progress: (done) => {
        bar.value = done;
        say(csv.status, `Scoring: ${number.format(done)} of ${number.format(total)} rows…`);
      },
    });
    csv.output = scoredCsv(csv.table, outcome.results);
    const counts = stanceCounts(outcome.results);
    const unscored = total - outcome.scored;
    say(
      csv.status,
      `Done: ${number.format(outcome.scored)} of ${number.format(total)} rows scored (${counts.support} support, ${counts.oppose} oppose, ${counts.neutral} neutral)` +
        (unscored ? `; ${number.format(unscored)} left unscored, listed below.` : "."),
    );
    $("csv-problems").replaceChildren(...outcome.problems.map((p) => el("li", { text: `line ${p.line}: ${p.problem}` })));
    $("csv-done").hidden = false;
  } catch (error) {
    if (error.name === "AbortError") say(csv.status, "Stopped. Nothing was downloaded; score the rows again to start over.");
    else report(csv.status, error);
  } finally {
    csv.controller = null;
    $("csv-stop").hidden = true;
    $("csv-score").disabled = false;
  }
}

$("csv-file").addEventListener("change", (event) => {
  const [file] = event.target.files;
  if (file) openFile(file);
});
$("csv-score").addEventListener("click", () => {
  csv.running = scoreFile();
});
$("csv-stop").addEventListener("click", () => csv.controller?.abort());
$("csv-download").addEventListener("click", () => {
  if (!csv.output) return;
  const stem = csv.fileName.replace(/\.(csv|txt)$/i, "") || "quotes";
  downloadText(csv.output, `${stem}-scored.csv`);
});

const zone = $("drop-zone");
for (const type of ["dragenter", "dragover"]) {
  zone.addEventListener(type, (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
}
for (const type of ["dragleave", "drop"]) {
  zone.addEventListener(type, () => zone.classList.remove("dragging"));
}
zone.addEventListener("drop", (event) => {
  event.preventDefault();
  const [file] = event.dataTransfer?.files || [];
  if (file) openFile(file);
});
// A file dropped beside the zone would make the browser leave the page for it.
window.addEventListener("dragover", (event) => event.preventDefault());
window.addEventListener("drop", (event) => event.preventDefault());
