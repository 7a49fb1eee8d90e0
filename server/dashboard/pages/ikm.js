// IKM: the public-satisfaction index per office and period, with the nine
// NRR values and the service grade, and its trend across periods.

import { getJson } from '../api.js';
import { chart } from '../charts.js';
import { h, section, select } from '../dom.js';
import { t } from '../i18n.js';
import { dataTable } from '../table.js';
import { officeSelect } from './common.js';

export async function render(ctx) {
  const { state } = ctx;
  state.period ??= '';
  const [all, officeSel] = await Promise.all([getJson('/v1/reports/ikm', { office: state.office }), officeSelect(ctx)]);
  const periods = [...new Set(all.rows.map((r) => r.period))].sort();
  const rows = state.period ? all.rows.filter((r) => r.period === state.period) : all.rows;
  const params = { office: state.office, period: state.period };

  const byOffice = new Map();
  for (const r of all.rows) {
    if (!byOffice.has(r.office_id)) byOffice.set(r.office_id, { name: r.office_name, ikm: new Map() });
    byOffice.get(r.office_id).ikm.set(r.period, r.ikm);
  }
  const trend = periods.length === 0 ? '' : chart('ikm-chart', 'line', periods,
    [...byOffice.values()].map((o) => ({ label: o.name, data: periods.map((p) => o.ikm.get(p) ?? null) })),
    { label: t('ikm_trend') });

  const unsur = t('unsur');
  const table = dataTable({
    id: 'ikm',
    rows,
    rowKey: (r) => `${r.office_id}/${r.period}`,
    csv: { path: '/v1/reports/ikm', params },
    columns: [
      { key: 'office_name', label: t('col_office') },
      { key: 'period', label: t('col_period') },
      { key: 'respondents', label: t('col_respondents'), type: 'num', digits: 0 },
      ...unsur.map((name, i) => ({
        key: `u${i + 1}`, label: `U${i + 1}`, title: name, type: 'num', value: (r) => r.nrr[i],
      })),
      { key: 'ikm', label: t('col_ikm'), type: 'num' },
      {
        key: 'category', label: t('col_category'),
        render: (r) => h('span', { class: `badge grade-${r.category}` }, `${r.category} (${r.category_label})`),
      },
    ],
  });
  const periodSel = select(t('period'), state.period, [['', t('all_periods')], ...periods.map((p) => [p, p])],
    (v) => { state.period = v; ctx.rerender(); }, 'period');

  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('ikm_title')),
      h('div', { class: 'selectors' }, periodSel, officeSel)),
    section(t('ikm_trend'), trend),
    section(t('ikm_table'), table.el,
      h('ul', { class: 'unsur' }, unsur.map((name, i) => h('li', {}, `U${i + 1}: ${name}`)))));
}
