// A report table: sortable headers, a filter box, a row count and an
// "Unduh CSV" button that downloads the same report as CSV from the server.
// Numeric cells (and those of a column with a value function) carry their
// raw value in data-value (and every cell its column in data-col, every row
// its key in data-key), so tests compare the
// numbers exactly whatever the display locale.

import { downloadCsv } from './api.js';
import { h } from './dom.js';
import { fmtDate, fmtDateTime, fmtNum, fmtPct, t } from './i18n.js';

const kNumeric = new Set(['num', 'pct']);

function display(col, row) {
  const v = col.value ? col.value(row) : row[col.key];
  if (col.render) return col.render(row);
  switch (col.type) {
    case 'num': return fmtNum(v, col.digits ?? 2);
    case 'pct': return fmtPct(v);
    case 'date': return fmtDate(v);
    case 'datetime': return fmtDateTime(v);
    default: return v === null || v === undefined ? '–' : String(v);
  }
}

function compare(a, b) {
  const an = a === null || a === undefined || a === '';
  const bn = b === null || b === undefined || b === '';
  if (an || bn) return an && bn ? 0 : an ? 1 : -1;  // empty cells last
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
}

// options: {id, columns: [{key, label, type: 'num'|'pct'|'date'|'datetime'|'text',
//   digits, value(row), render(row) -> Node|string, title, cls (a cell class)}], rows, rowKey(row),
//   rowClass(row), csv: {path, params} | null, predicate(row) (an extra filter)}
// Returns {el, setPredicate(fn)}.
export function dataTable(options) {
  const { id, columns, rowKey, rowClass, csv } = options;
  const rows = options.rows ?? [];
  let predicate = options.predicate ?? (() => true);
  let sortKey = null;
  let sortDir = 1;
  let query = '';

  const tbody = h('tbody');
  const count = h('span', { class: 'row-count' });
  const headRow = h('tr');
  const heads = columns.map((col) => {
    const btn = h('button', {
      type: 'button', class: 'sort', title: col.title ?? t('sort_by', { col: col.label }),
      onclick: () => {
        sortDir = sortKey === col.key ? -sortDir : 1;
        sortKey = col.key;
        draw();
      },
    }, col.label);
    const th = h('th', { scope: 'col', class: kNumeric.has(col.type) ? 'num' : '', dataset: { col: col.key } }, btn);
    headRow.append(th);
    return th;
  });
  const texts = new Map(rows.map((r) => [r, columns.map((c) => {
    const d = display(c, r);
    return (d instanceof Node ? d.textContent : d).toLowerCase();
  }).join(' ')]));

  function draw() {
    let shown = rows.filter((r) => predicate(r) && (!query || texts.get(r).includes(query)));
    if (sortKey !== null) {
      const col = columns.find((c) => c.key === sortKey);
      const val = (r) => (col.value ? col.value(r) : r[col.key]);
      shown = [...shown].sort((a, b) => sortDir * compare(val(a), val(b)));
    }
    heads.forEach((th, i) => {
      th.setAttribute('aria-sort', columns[i].key !== sortKey ? 'none' : sortDir > 0 ? 'ascending' : 'descending');
    });
    tbody.replaceChildren(...shown.map((r) => h('tr', {
      class: rowClass ? rowClass(r) : '', dataset: { key: rowKey ? rowKey(r) : '' },
    }, columns.map((c) => {
      const raw = c.value ? c.value(r) : r[c.key];
      const numeric = kNumeric.has(c.type);
      const cls = [numeric ? 'num' : '', c.type === 'date' || c.type === 'datetime' ? 'nowrap' : '', c.cls ?? ''];
      return h('td', {
        class: cls.join(' ').trim(),
        dataset: numeric || c.value
          ? { col: c.key, value: raw === null || raw === undefined ? '' : String(raw) } : { col: c.key },
      }, display(c, r));
    }))));
    if (shown.length === 0) {
      tbody.append(h('tr', { class: 'empty' }, h('td', { colSpan: columns.length }, t('no_rows'))));
    }
    count.textContent = t('rows', { n: shown.length });
    count.dataset.value = String(shown.length);
  }

  const filter = h('input', {
    type: 'search', class: 'filter', placeholder: t('filter'), 'aria-label': t('filter_label'),
    oninput: (e) => { query = e.target.value.trim().toLowerCase(); draw(); },
  });
  const tools = h('div', { class: 'table-tools' }, filter, count);
  if (csv) {
    const btn = h('button', {
      type: 'button', class: 'csv',
      onclick: async () => {
        btn.disabled = true;
        btn.textContent = t('downloading');
        try {
          await downloadCsv(csv.path, csv.params);
        } catch (e) {
          tools.append(h('span', { class: 'error' }, `${t('error')}: ${e.message}`));
        } finally {
          btn.disabled = false;
          btn.textContent = t('download_csv');
        }
      },
    }, t('download_csv'));
    tools.append(btn);
  }
  const table = h('table', { id }, h('thead', {}, headRow), tbody);
  draw();
  return {
    el: h('div', { class: 'data-table', dataset: { table: id } }, tools, h('div', { class: 'table-wrap' }, table)),
    setPredicate(fn) { predicate = fn; draw(); },
  };
}
