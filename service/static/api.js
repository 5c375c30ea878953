// Calls to the service's JSON API, with the key from the key field (kept in sessionStorage only).

const KEY_ITEM = "quote-stance.api-key";

export function storedKey() {
  try {
    return sessionStorage.getItem(KEY_ITEM) || "";
  } catch {
    return ""; // storage disabled: the key lives in the field alone
  }
}

export function storeKey(key) {
  try {
    if (key) sessionStorage.setItem(KEY_ITEM, key);
    else sessionStorage.removeItem(KEY_ITEM);
  } catch {
    // storage disabled: nothing to do
  }
}

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

let currentKey = () => storedKey();

// The page's key field supplies the key; api calls read it at the moment they are sent.
export function useKeySource(source) {
  currentKey = source;
}

function explain(status, body) {
  const said = body && typeof body.message === "string" ? body.message : "";
  if (status === 401) {
    const reason = said ? ` (${said})` : "";
    return `The service needs a valid API key${reason}. Enter your key in the "API key" field at the top of the page and try again.`;
  }
  if (status === 413) return `Too much text in one request: ${said || "the body is over the service's limit"}.`;
  if (status === 422) return `The service could not use this input: ${said || "invalid request"}.`;
  if (status === 501) return `This service cannot do that yet: ${said || "not implemented"}.`;
  if (status === 429) return "The service is busy; wait a moment and try again.";
  return `The service answered ${status}${said ? `: ${said}` : ""}.`;
}

// POST a JSON body to a route of the API (a path relative to the page, so the page works
// under a path prefix); the answer's JSON, or an ApiError whose message is for a reporter.
export async function postJson(path, body, { signal } = {}) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const key = currentKey();
  if (key) headers["X-API-Key"] = key;
  let response;
  try {
    response = await fetch(path, { method: "POST", headers, body: JSON.stringify(body), signal, credentials: "omit" });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(0, "The service could not be reached: check that it is running and that this computer is online.");
  }
  let answer = null;
  try {
    answer = await response.json();
  } catch (error) {
    if (error.name === "AbortError") throw error; // stopped while the answer was arriving
    answer = null;
  }
  if (!response.ok) throw new ApiError(response.status, explain(response.status, answer), answer);
  if (answer === null) throw new ApiError(response.status, "The service's answer was not JSON.");
  return answer;
}
