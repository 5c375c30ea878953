// CSV in and out, as Python's csv module reads and writes it (RFC 4180, any line ending).

// Each record of `text` with the physical line (1-based) where it starts. A record whose
// quote never closes would swallow the rest of the file; like `stance score`, its first
// line is taken as it stands, split at commas, and reading resumes on the next line.
export function readRecords(text) {
  const records = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const startIndex = i;
    const startLine = line;
    const fields = [];
    let field = "";
    let quoted = false;
    let atFieldStart = true;
    while (i < n) {
      const c = text[i];
      if (quoted) {
        if (c === '"') {
          if (text[i + 1] === '"') { field += '"'; i += 2; continue; }
          quoted = false; i += 1; continue;
        }
        if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) line += 1;
        field += c; i += 1;
        continue;
      }
      if (c === '"' && atFieldStart) { quoted = true; atFieldStart = false; i += 1; continue; }
      if (c === ",") { fields.push(field); field = ""; atFieldStart = true; i += 1; continue; }
      if (c === "\r" || c === "\n") {
        i += (c === "\r" && text[i + 1] === "\n") ? 2 : 1;
        line += 1;
        break;
      }
      field += c; atFieldStart = false; i += 1;
    }
    if (quoted) {
      let lineEnd = startIndex;
      while (lineEnd < n && text[lineEnd] !== "\n" && text[lineEnd] !== "\r") lineEnd += 1;
      records.push({ fields: text.slice(startIndex, lineEnd).split(","), line: startLine, unterminated: true });
      i = lineEnd + (text[lineEnd] === "\r" && text[lineEnd + 1] === "\n" ? 2 : 1);
      line = startLine + 1;
      continue;
    }
    // A blank line is a record with no fields, as Python's reader gives it.
    if (!(fields.length === 0 && field === "" && atFieldStart)) fields.push(field);
    records.push({ fields, line: startLine, unterminated: false });
  }
  return records;
}

function quoteField(value) {
  const text = value == null ? "" : String(value);
  return /[",\r\n]/.test(text) ? '"' + text.replaceAll('"', '""') + '"' : text;
}

// CSV text of rows (arrays of values); "\n" line endings, like `stance score`.
export function writeCsv(rows) {
  return rows.map((row) => (row.length === 1 && row[0] === "" ? '""' : row.map(quoteField).join(","))).join("\n") + "\n";
}

// The text of a file's bytes: UTF-8 (a BOM is dropped); else Windows-1252, said so.
// Bytes with NUL that are not UTF-8 are taken for a binary file, not a CSV.
export function decodeBytes(bytes) {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), encoding: "UTF-8" };
  } catch {
    if (bytes.subarray(0, 8192).includes(0)) {
      throw new Error("the file is not text (it looks like a binary file); save it as CSV first");
    }
    return { text: new TextDecoder("windows-1252").decode(bytes), encoding: "Windows-1252" };
  }
}
