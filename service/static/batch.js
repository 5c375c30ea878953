// A CSV of quotes scored through POST /v1/score/batch, in chunks within the service's limits.

import { ApiError, postJson } from "./api.js";
import { decodeBytes, readRecords, writeCsv } from "./csv.js";

export const OUTPUT_COLUMNS = ["stance", "confidence", "prob_support", "prob_oppose", "prob_neutral"];
// Room left in a request body for the JSON around the items.
const BODY_OVERHEAD = 64;

export class CsvError extends Error {}

// The table of a CSV file: its header and rows, each row as wide as the header (as
// `stance score` writes them: short rows padded, surplus fields joined back into the last).
export function readTable(bytes, fileName) {
  if (bytes.length === 0) throw new CsvError(`${fileName}: the file is empty`);
  let decoded;
  try {
    decoded = decodeBytes(bytes);
  } catch (error) {
    throw new CsvError(`${fileName}: ${error.message}`);
  }
  const records = readRecords(decoded.text.replace(/^\uFEFF/, ""));
  if (!records.length || !records[0].fields.length || records[0].fields.every((f) => f === "")) {
    throw new CsvError(`${fileName}: the first line is blank; it must be the header (the column names)`);
  }
  const header = records[0].fields;
  const width = header.length;
  const rows = [];
  for (const record of records.slice(1)) {
    let fields = record.fields;
    let problem = null;
    if (record.fields.length === 0) problem = "blank line";
    else if (record.unterminated) problem = "a quote mark opens a field that never closes (the line is kept as it stands)";
    else if (fields.length > width) problem = `${fields.length} fields, more than the header's ${width} (the surplus is kept in the last column)`;
    else if (fields.length < width) problem = `${fields.length} fields, fewer than the header's ${width}`;
    if (fields.length > width) fields = [...fields.slice(0, width - 1), writeCsv([fields.slice(width - 1)]).slice(0, -1)];
    while (fields.length < width) fields = [...fields, ""];
    rows.push({ fields, line: record.line, problem });
  }
  return { header, rows, encoding: decoded.encoding };
}

// The column that holds the quotes: `text` as the contract names it, else a likely name.
export function guessTextColumn(header) {
  for (const name of ["text", "quote", "Quote", "Text", "statement"]) {
    if (header.includes(name)) return name;
  }
  return null;
}

// Chunks of row indexes, each within the batch limit and the body limit.
export function planChunks(items, limits) {
  const encoder = new TextEncoder();
  const chunks = [];
  let current = [];
  let bytes = BODY_OVERHEAD;
  for (const item of items) {
    const size = encoder.encode(JSON.stringify(item)).length + 1;
    if (current.length && (current.length >= limits.maxBatch || bytes + size > limits.maxBodyBytes)) {
      chunks.push(current);
      current = [];
      bytes = BODY_OVERHEAD;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

// Score the table's rows; `progress(done, total)` after each chunk. Rows that cannot be
// scored are kept, with empty stance columns, and listed in `problems` with their line.
export async function scoreTable(table, textColumn, limits, { progress, signal, onVersion }) {
  const at = table.header.indexOf(textColumn);
  // The speaker context columns, read as `stance score` reads them: a blank cell is unknown.
  const speakerAt = table.header.indexOf("speaker");
  const roleAt = table.header.indexOf("speaker_role");
  const context = (row) => {
    const item = {};
    const speaker = speakerAt >= 0 ? row.fields[speakerAt].trim() : "";
    const role = roleAt >= 0 ? row.fields[roleAt].trim() : "";
    if (speaker) item.speaker = speaker;
    if (role) item.speaker_role = role;
    return item;
  };
  const results = new Array(table.rows.length).fill(null);
  const problems = [];
  const items = [];
  const encoder = new TextEncoder();
  table.rows.forEach((row, index) => {
    const text = row.fields[at];
    const extra = row.problem ? {} : context(row);
    if (row.problem) problems.push({ line: row.line, problem: `${row.problem}; row kept unscored` });
    else if (!text.trim()) problems.push({ line: row.line, problem: `blank ${textColumn}; row kept unscored` });
    else if (text.length > limits.maxTextChars) problems.push({ line: row.line, problem: `${textColumn} is ${text.length} characters, over the service's limit of ${limits.maxTextChars}; row kept unscored` });
    else if (encoder.encode(JSON.stringify({ text })).length + BODY_OVERHEAD > limits.maxBodyBytes) problems.push({ line: row.line, problem: `${textColumn} is too large for one request; row kept unscored` });
    else if (Object.values(extra).some((value) => value.length > limits.maxContextChars)) problems.push({ line: row.line, problem: `speaker or speaker_role over ${limits.maxContextChars} characters; row kept unscored` });
    else items.push({ id: String(index), text, ...extra });
  });
  const queue = planChunks(items, limits);
  let done = table.rows.length - items.length;
  progress(done, table.rows.length);
  while (queue.length) {
    if (signal.aborted) throw new DOMException("stopped", "AbortError");
    const chunk = queue.shift();
    try {
      const answer = await postJson("v1/score/batch", { items: chunk }, { signal });
      onVersion(answer.model_version);
      answer.results.forEach((result, i) => {
        if (result.id !== chunk[i].id) throw new ApiError(200, "The service's answer did not follow the order of the rows sent.");
        results[Number(result.id)] = result;
      });
      done += chunk.length;
    } catch (error) {
      // A chunk the service refuses (a limit lower than the page knows, one odd row) is
      // halved until the rows it refuses are alone; those are kept unscored. Any other failure stops.
      if (!(error instanceof ApiError) || ![413, 422].includes(error.status)) throw error;
      if (chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        queue.unshift(chunk.slice(0, half), chunk.slice(half));
        continue;
      }
      problems.push({ line: table.rows[Number(chunk[0].id)].line, problem: `${error.message} Row kept unscored.` });
      done += 1;
    }
    progress(done, table.rows.length);
  }
  problems.sort((a, b) => a.line - b.line);
  return { results, problems, scored: results.filter(Boolean).length };
}

// Every input column, in order, then the contract's columns (4 decimals, as `stance score`).
export function scoredCsv(table, results) {
  const rows = [[...table.header, ...OUTPUT_COLUMNS]];
  table.rows.forEach((row, i) => {
    const result = results[i];
    if (!result) {
      rows.push([...row.fields, "", "", "", "", ""]);
      return;
    }
    const p = result.probabilities;
    rows.push([...row.fields, result.stance, result.confidence.toFixed(4), p.support.toFixed(4), p.oppose.toFixed(4), p.neutral.toFixed(4)]);
  });
  return writeCsv(rows);
}

export function stanceCounts(results) {
  const counts = { support: 0, oppose: 0, neutral: 0 };
  for (const result of results) if (result) counts[result.stance] += 1;
  return counts;
}
