// The dashboard's shell: sign-in, the hash router (#/ringkasan,
// #/kepatuhan, #/pelatihan[/ID], #/ikm, #/pengingat, #/dampak, #/anggaran, #/konflik), the language toggle and
// the shared selectors (year, office). Each page is a module exporting
// render(main, ctx); body[data-page] and body[data-ready="1"] tell when a
// page shows its data (the browser test waits for them).

import { ApiError, getJson, setUnauthenticatedHandler, token } from './api.js';
import { destroyCharts, mountCharts } from './charts.js';
import { h } from './dom.js';
import { lang, setLang, t, translateStatic } from './i18n.js';
import * as anggaran from './pages/anggaran.js';
import * as dampak from './pages/dampak.js';
import * as ikm from './pages/ikm.js';
import * as kepatuhan from './pages/kepatuhan.js';
import * as konflik from './pages/konflik.js';
import * as pelatihan from './pages/pelatihan.js';
import * as pengingat from './pages/pengingat.js';
import * as ringkasan from './pages/ringkasan.js';

const pages = { ringkasan, kepatuhan, pelatihan, ikm, pengingat, dampak, anggaran, konflik };
const main = document.getElementById('main');
const statusLine = document.getElementById('status');

// Shared by the pages: the selected year and office, and the office list.
const state = { year: new Date().getFullYear(), office: '', offices: null };

function say(message, isError = false) {
  statusLine.textContent = message;
  statusLine.className = isError ? 'error' : '';
}

function signInPage(message) {
  document.body.dataset.page = 'masuk';
  document.body.classList.remove('signed-in');
  const input = h('input', {
    id: 'token', type: 'password', required: true, autocomplete: 'off', spellcheck: false,
    'aria-describedby': 'token-help',
  });
  const note = h('p', { id: 'sign-in-message', class: message ? 'error' : '', role: 'alert' }, message ?? '');
  const form = h('form', {
    id: 'sign-in', class: 'panel sign-in',
    onsubmit: async (e) => {
      e.preventDefault();
      const value = input.value.trim();
      note.className = '';
      note.textContent = t('signing_in');
      try {
        state.offices = (await getJson('/v1/reports/offices', {}, value)).offices;
        token.set(value);
        input.value = '';
        if (!location.hash || location.hash === '#/masuk') location.hash = '#/ringkasan';
        else route();
      } catch (err) {
        note.className = 'error';
        note.textContent = err.status === 401 ? t('bad_token') : err.status === 403 ? t('forbidden_token')
          : err.status === 0 ? t('network_error') : `${t('error')}: ${err.message}`;
      }
    },
  },
  h('h1', {}, t('sign_in_title')),
  h('p', { id: 'token-help' }, t('sign_in_help')),
  h('label', { for: 'token' }, t('token')),
  input,
  h('button', { type: 'submit', class: 'primary' }, t('sign_in')),
  note);
  main.replaceChildren(form);
  document.body.dataset.ready = '1';
  input.focus();
}

async function offices() {
  if (!state.offices) state.offices = (await getJson('/v1/reports/offices')).offices;
  return state.offices;
}

let generation = 0;  // a newer route() makes an older page's late answer stale

async function route() {
  const mine = ++generation;
  destroyCharts();
  closeMenu();
  say('');
  if (!token.get()) {
    signInPage();
    return;
  }
  document.body.classList.add('signed-in');
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = pages[name] ? name : 'ringkasan';
  document.body.dataset.page = page;
  document.body.dataset.ready = '0';
  for (const a of document.querySelectorAll('#nav a')) {
    a.classList.toggle('current', a.dataset.page === page);
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  const ctx = {
    state, params: rest.map(decodeURIComponent), offices, say,
    stale: () => mine !== generation,
    rerender: () => route(),
  };
  try {
    const view = await pages[page].render(ctx);
    if (ctx.stale()) return;
    main.replaceChildren(view);
    mountCharts();
    document.body.dataset.ready = '1';
    if (!performance.getEntriesByName('latih-first-page').length) performance.mark('latih-first-page');
  } catch (err) {
    if (ctx.stale() || (err instanceof ApiError && err.status === 401)) return;
    main.replaceChildren(h('p', { class: 'error', role: 'alert' },
      `${t('error')}: ${err.status === 0 ? t('network_error') : err.message}`));
    document.body.dataset.ready = 'error';
  }
}

function closeMenu() {
  document.body.classList.remove('menu-open');
  document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
}

function applyLanguage() {
  translateStatic();
  document.getElementById('lang-toggle').textContent = t('lang_switch');
}

setUnauthenticatedHandler(() => {
  token.clear();
  state.offices = null;
  signInPage(t('session_ended'));
});

document.getElementById('lang-toggle').addEventListener('click', () => {
  setLang(lang() === 'id' ? 'en' : 'id');
  applyLanguage();
  route();
});
document.getElementById('sign-out').addEventListener('click', () => {
  token.clear();
  state.offices = null;
  location.hash = '#/masuk';
  route();
});
document.getElementById('menu-toggle').addEventListener('click', () => {
  const open = document.body.classList.toggle('menu-open');
  document.getElementById('menu-toggle').setAttribute('aria-expanded', String(open));
});
window.addEventListener('hashchange', route);

setLang(lang());
applyLanguage();
route();
