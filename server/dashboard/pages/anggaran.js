// Anggaran: what the training budget of a year bought. Totals (planned,
// actual, the share spent, cost per seat and per JP), cost per JP by
// organising office, and the report's tables: per training, and summed by
// office, competency type, route and funding source. Only trainings with
// an actual cost are divided (docs/REPORTS.md, "Cost").

import { getJson } from '../api.js';
import { chart } from '../charts.js';
import { card, h, section } from '../dom.js';
import { fmtNum, fmtPct, t } from '../i18n.js';
import { dataTable } from '../table.js';
import { officeSelect, yearSelect } from './common.js';

// The summed columns every grouping has, after its own key columns.
function sumColumns() {
  return [
    { key: 'trainings', label: t('col_trainings_n'), type: 'num', digits: 0 },
    { key: 'with_actual', label: t('col_with_actual'), type: 'num', digits: 0 },
    { key: 'planned', label: t('col_planned'), type: 'num', digits: 0 },
    { key: 'actual', label: t('col_actual'), type: 'num', digits: 0 },
    { key: 'realization', label: t('col_realization'), type: 'pct' },
    { key: 'participants', label: t('col_seats'), type: 'num', digits: 0 },
    { key: 'jp', label: t('col_jp_credited'), type: 'num' },
    { key: 'per_participant', label: t('col_per_participant'), type: 'num', digits: 0 },
    { key: 'per_jp', label: t('col_per_jp'), type: 'num', digits: 0 },
  ];
}

function grouped(id, rows, keyColumn, params, table) {
  return dataTable({
    id,
    rows,
    rowKey: (r) => r[keyColumn.key] ?? '-',
    csv: { path: '/v1/reports/costs', params: { ...params, table } },
    columns: [keyColumn, ...sumColumns()],
  });
}

const rupiah = (v) => (v === null || v === undefined ? '–' : `Rp ${fmtNum(v, 0)}`);

export async function render(ctx) {
  const { state } = ctx;
  const params = { year: state.year, office: state.office };
  const [costs, officeSel] = await Promise.all([getJson('/v1/reports/costs', params), officeSelect(ctx)]);
  const total = costs.total;

  const cards = h('div', { class: 'cards' },
    card('planned', t('card_planned'), rupiah(total.planned), total.planned),
    card('actual', t('card_actual'), rupiah(total.actual), total.actual),
    card('realization', t('card_realization'), total.realization === null ? '–' : fmtPct(total.realization),
      total.realization),
    card('per_participant', t('card_per_participant'), rupiah(total.per_participant), total.per_participant),
    card('per_jp', t('card_per_jp'), rupiah(total.per_jp), total.per_jp));

  const offices = costs.by_office.filter((r) => r.per_jp !== null);
  const perJpChart = chart('costs-office-chart', 'bar', offices.map((r) => r.office_name),
    [{ label: t('col_per_jp'), data: offices.map((r) => r.per_jp) }],
    { horizontal: true, label: t('costs_by_office_chart') });

  const trainings = dataTable({
    id: 'costs-trainings',
    rows: costs.trainings,
    rowKey: (r) => r.training_id,
    csv: { path: '/v1/reports/costs', params: { ...params, table: 'trainings' } },
    columns: [
      { key: 'title', label: t('col_title') },
      { key: 'office_name', label: t('col_host') },
      { key: 'competency', label: t('col_competency') },
      { key: 'route', label: t('col_route') },
      { key: 'funding_source', label: t('col_funding'), render: (r) => r.funding_source ?? t('funding_none') },
      // A training is one: no counts of trainings.
      ...sumColumns().filter((c) => c.key !== 'trainings' && c.key !== 'with_actual'),
    ],
  });
  const byOffice = grouped('costs-by-office', costs.by_office, { key: 'office_name', label: t('col_office') },
    params, 'by_office');
  const byCompetency = grouped('costs-by-competency', costs.by_competency,
    { key: 'competency', label: t('col_competency') }, params, 'by_competency');
  const byRoute = grouped('costs-by-route', costs.by_route, { key: 'route', label: t('col_route') }, params,
    'by_route');
  const byFunding = grouped('costs-by-funding', costs.by_funding,
    { key: 'funding_source', label: t('col_funding'), render: (r) => r.funding_source ?? t('funding_none') },
    params, 'by_funding');

  const body = costs.trainings.length === 0
    ? [h('p', { class: 'empty' }, t('no_costs'))]
    : [section(t('costs_by_office_chart'), perJpChart),
      section(t('costs_trainings'), trainings.el),
      section(t('costs_by_office'), byOffice.el),
      h('div', { class: 'chart-pair' },
        section(t('costs_by_competency'), byCompetency.el), section(t('costs_by_route'), byRoute.el)),
      section(t('costs_by_funding'), byFunding.el)];
  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('anggaran_title')),
      h('div', { class: 'selectors' }, yearSelect(ctx), officeSel)),
    h('p', { class: 'help' }, t('anggaran_help', { year: costs.year })),
    cards,
    ...body);
}
