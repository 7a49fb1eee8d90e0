// Charts with Chart.js 3.9 (Debian's libjs-chart.js, served as
// /assets/vendor/chart.min.js, which defines window.Chart). Each chart sits
// in a fixed-height box so that it resizes with the page; animation is off
// (instant, and screenshots show the final state).

import { h } from './dom.js';
import { fmtNum, lang } from './i18n.js';

const kPalette = ['#1f6f8b', '#e07a1f', '#3a8f3a', '#b23a48', '#6a4c93', '#8c6d1f', '#1d8a99', '#5c5c5c',
  '#c2549d', '#2f4b7c'];

const live = new Set();
let pending = [];

// Destroys every chart (called when the page changes).
export function destroyCharts() {
  for (const c of live) c.destroy();
  live.clear();
  pending = [];
}

// Draws the charts made since the last call; app.js calls it once the page
// is in the document (Chart.js sizes a canvas from its attached box).
export function mountCharts() {
  for (const make of pending) live.add(make());
  pending = [];
}

export function color(i) { return kPalette[i % kPalette.length]; }

// A chart in a new box, drawn by the next mountCharts(). type: 'bar' |
// 'line'; datasets: [{label, data}]; options.stacked, options.yMax,
// options.horizontal, options.integer (counts: whole ticks), options.label
// (for screen readers). Returns the box.
export function chart(id, type, labels, datasets, options = {}) {
  const canvas = h('canvas', { id, role: 'img', 'aria-label': options.label ?? '' });
  const box = h('div', { class: 'chart-box' }, canvas);
  if (!window.Chart) return box;  // the vendor file failed to load: tables still work
  const axis = { stacked: !!options.stacked, ticks: { callback: (v) => fmtNum(v), precision: options.integer ? 0 : undefined } };
  pending.push(() => new window.Chart(canvas, {
    type,
    data: {
      labels,
      datasets: datasets.map((d, i) => ({
        backgroundColor: color(i), borderColor: color(i), tension: 0.2, spanGaps: true, ...d,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: options.horizontal ? 'y' : 'x',
      locale: lang() === 'id' ? 'id-ID' : 'en-GB',
      scales: {
        x: { stacked: !!options.stacked },
        y: { ...axis, beginAtZero: true, max: options.yMax },
        ...(options.horizontal ? { x: { ...axis, beginAtZero: true, max: options.yMax }, y: { stacked: !!options.stacked } } : {}),
      },
      plugins: { legend: { position: 'bottom' } },
    },
  }));
  return box;
}
