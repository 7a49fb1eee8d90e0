// The report API (docs/REPORTS.md) as the dashboard calls it. The HR token
// lives in sessionStorage (this tab only), travels only in the
// Authorization header, never in a URL, and is never logged.

const kTokenKey = 'latih.hr_token';

export const token = {
  get: () => sessionStorage.getItem(kTokenKey),
  set: (value) => sessionStorage.setItem(kTokenKey, value),
  clear: () => sessionStorage.removeItem(kTokenKey),
};

// A failed call: HTTP status (0: no answer) and the API's error code and message.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// Called with the ApiError when the server refuses the token (401).
let onUnauthenticated = () => {};
export function setUnauthenticatedHandler(fn) { onUnauthenticated = fn; }

function url(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function call(method, path, params, body, tokenOverride) {
  const headers = { Authorization: `Bearer ${tokenOverride ?? token.get() ?? ''}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(url(path, params), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  if (res.ok) return res;
  let code = 'http_' + res.status;
  let message = res.statusText;
  try {
    const j = await res.json();
    code = j.error?.code ?? code;
    message = j.error?.message ?? message;
  } catch (_) { /* not JSON: keep the status line */ }
  const err = new ApiError(res.status, code, message);
  if (res.status === 401 && tokenOverride === undefined) onUnauthenticated(err);
  throw err;
}

// GET a report as JSON. Throws ApiError.
export async function getJson(path, params = {}, tokenOverride = undefined) {
  return (await call('GET', path, params, undefined, tokenOverride)).json();
}

// POST a JSON body; returns the JSON answer. Throws ApiError.
export async function postJson(path, body) {
  return (await call('POST', path, {}, body)).json();
}

// Downloads the report at `path` with `params` as CSV: fetched with the
// token in its header, then saved from a Blob under the server's file name.
export async function downloadCsv(path, params = {}) {
  const res = await call('GET', path, { ...params, format: 'csv' });
  return saveBlob(path, res, await res.blob());
}

// The same for a paged list (docs/REPORTS.md, paging): every page of
// `pageSize` rows fetched in turn and joined into one file (one header).
export async function downloadCsvPages(path, params, pageSize) {
  const { total } = await getJson(path, { ...params, limit: 1 });
  let first = null;
  let text = '';
  for (let offset = 0; offset === 0 || offset < total; offset += pageSize) {
    const res = await call('GET', path, { ...params, format: 'csv', offset, limit: pageSize });
    const page = await res.text();
    if (first === null) {
      first = res;
      text = page;
    } else {
      text += page.slice(page.indexOf('\n') + 1);  // its header again
    }
  }
  // text() drops each page's byte-order mark: the file gets one back.
  return saveBlob(path, first, new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
}

function saveBlob(path, res, blob) {
  const cd = res.headers.get('Content-Disposition') ?? '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  const name = m ? m[1] : `${path.split('/').filter(Boolean).pop()}.csv`;
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
  return name;
}
