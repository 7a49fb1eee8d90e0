// Tiny DOM helpers: elements are built with textContent, never innerHTML,
// so no report value is ever parsed as markup.

// h('div', {class: 'x', dataset: {key: 'v'}, onclick: fn}, child, ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k in el && k !== 'list') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// A labelled <select>; `options` are [value, text] pairs. Calls onChange(value).
export function select(label, value, options, onChange, id) {
  const sel = h('select', { id, onchange: (e) => onChange(e.target.value) },
    options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text)));
  return h('label', { class: 'field' }, h('span', {}, label), sel);
}

// A summary card: a label and one number (raw value in data-value).
export function card(key, label, text, raw) {
  return h('div', { class: 'card', dataset: { key } },
    h('div', { class: 'card-label' }, label),
    h('div', { class: 'card-value', dataset: { value: raw === null || raw === undefined ? '' : String(raw) } }, text));
}

// A titled section.
export function section(title, ...children) {
  return h('section', { class: 'panel' }, h('h2', {}, title), ...children);
}
