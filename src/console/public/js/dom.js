// The console's building blocks: elements from data (textContent only, never HTML from data),
// the status line, JSON from the server, number formats.

export const $ = (id) => document.getElementById(id);

/** An element with attributes (on* are listeners) and children (strings become text). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

export function say(text, error = false) {
  const m = $('message');
  m.textContent = text;
  m.className = error ? 'error' : '';
}

/**
 * The bearer token the reader signed in with (kept for this tab only), sent on every call. With
 * mTLS the browser's client certificate signs in instead, and no token is kept.
 */
const TOKEN_KEY = 'loyalty-console-token';
export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (value) => (value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY)),
};

/** fetch with the signed-in token; an Error when the server does not answer. */
async function call(path, options) {
  const headers = new Headers(options.headers ?? {});
  const bearer = token.get();
  if (bearer) headers.set('authorization', `Bearer ${bearer}`);
  try {
    return await fetch(path, { ...options, headers });
  } catch {
    throw new Error('the server did not answer; is it running?');
  }
}

/** An Error with the server's message and the HTTP status (401: sign in). */
function httpError(message, status) {
  const err = new Error(message);
  err.status = status;
  if (status === 401) window.dispatchEvent(new CustomEvent('signin-needed', { detail: message }));
  return err;
}

/** JSON from the server, or an Error carrying the server's message. */
export async function api(path, options = {}) {
  const res = await call(path, options);
  const text = await res.text();
  let body;
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new Error(`unexpected answer from the server (HTTP ${res.status})`);
  }
  if (!res.ok) throw httpError(body.error || `HTTP ${res.status}`, res.status);
  return body;
}

export const fmt = (v, digits = 4) =>
  v === null || v === undefined || Number.isNaN(Number(v)) ? '–' : Number(v).toFixed(digits);
export const num = (value, digits, data) =>
  h('span', { dataset: { ...data, value: String(value) } }, fmt(value, digits));
export const table = (head, rows) =>
  h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        head.map((c) => h('th', { scope: 'col' }, c)),
      ),
    ),
    h('tbody', {}, rows),
  );

/**
 * Reads an NDJSON answer line by line (`onLine` for each parsed line); an error status or an
 * `error` line throws the server's message. Resolves with the last line.
 */
export async function readNdjson(path, onLine, options = {}) {
  const res = await call(path, options);
  if (!res.ok)
    throw httpError((await res.json().catch(() => ({}))).error || `HTTP ${res.status}`, res.status);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  let last;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    const lines = buffered.split('\n');
    buffered = lines.pop();
    for (const line of lines) {
      last = JSON.parse(line);
      if (last.error) throw new Error(last.error);
      onLine(last);
    }
  }
  return last;
}

/** Segments, tiers and kinds as the server names them (GET /console/api/vocabulary), read once. */
let vocabularyLoaded;
export function vocabulary() {
  vocabularyLoaded ??= api('/console/api/vocabulary').catch((err) => {
    vocabularyLoaded = undefined;
    throw err;
  });
  return vocabularyLoaded;
}

/**
 * Asks the reader to confirm a change, listing what it changes; resolves true on Confirm. One
 * dialog for the page (index.html's #confirm), modal: nothing else can be clicked meanwhile.
 */
export function confirmChange(title, lines) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-diff').replaceChildren(...lines.map((l) => h('li', {}, l)));
  dialog.showModal();
  return new Promise((resolve) => {
    const done = (answer) => {
      dialog.close();
      $('confirm-yes').onclick = null;
      $('confirm-no').onclick = null;
      dialog.oncancel = null;
      resolve(answer);
    };
    $('confirm-yes').onclick = () => done(true);
    $('confirm-no').onclick = () => done(false);
    dialog.oncancel = () => done(false);
  });
}
