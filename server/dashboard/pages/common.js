// Selectors several pages share: the year and the office of a report.

import { select } from '../dom.js';
import { t } from '../i18n.js';

export function yearOptions() {
  const now = new Date().getFullYear();
  return Array.from({ length: 6 }, (_, i) => [now - i, String(now - i)]);
}

export function yearSelect(ctx) {
  return select(t('year'), ctx.state.year, yearOptions(), (v) => {
    ctx.state.year = Number(v);
    ctx.rerender();
  }, 'year');
}

export async function officeSelect(ctx) {
  const offices = await ctx.offices();
  return select(t('office'), ctx.state.office,
    [['', t('all_offices')], ...offices.map((o) => [o.id, o.name])], (v) => {
      ctx.state.office = v;
      ctx.rerender();
    }, 'office');
}
