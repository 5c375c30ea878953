// Small DOM helpers: elements are built with textContent, never from HTML strings, so no
// article text or CSV field can become markup.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "className") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
}

export const STANCE_ICONS = { support: "\u25B2", oppose: "\u25BC", neutral: "\u25CF" };
export const STANCE_LABELS = ["support", "oppose", "neutral"];

export function percent(value) {
  return `${Math.round(value * 100)}%`;
}

// A chip that says the stance in words and with an icon, coloured by a class.
export function stanceChip(stance, confidence) {
  return el(
    "span",
    { className: `quote-chip stance-${stance}` },
    el("span", { className: "stance-icon", "aria-hidden": "true", text: STANCE_ICONS[stance] || "?" }),
    " ",
    el("span", { className: "stance-name", text: stance }),
    confidence === undefined ? null : el("span", { className: "confidence", text: ` ${percent(confidence)}` }),
  );
}

// Save text as a file through a link the browser downloads; the URL is freed afterwards.
export function downloadText(text, filename, type = "text/csv;charset=utf-8") {
  // A byte order mark, so that spreadsheet programs read the file as UTF-8.
  const blob = new Blob(["\uFEFF", text], { type });
  const url = URL.createObjectURL(blob);
  const link = el("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
