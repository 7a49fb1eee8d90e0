// Dampak program: per year, JP per employee next to the IKM and the
// distribution of the annual SKP predicates (for one office or the whole
// city), every office's years in a table, and the Kirkpatrick levels each
// training of the year has recorded. Comparisons side by side, no claim of
// cause.

import { getJson } from '../api.js';
import { chart } from '../charts.js';
import { h, section } from '../dom.js';
import { t } from '../i18n.js';
import { dataTable } from '../table.js';
import { officeSelect, yearSelect } from './common.js';

export async function render(ctx) {
  const { state } = ctx;
  const params = { year: state.year, office: state.office };
  const [impact, trainings, officeSel] = await Promise.all([
    getJson('/v1/reports/impact', params), getJson('/v1/reports/trainings', params), officeSelect(ctx)]);

  // The chart's rows: the city's, or the chosen office's.
  const series = impact.years.filter((r) => (state.office ? r.office_id === state.office : r.office_id === null));
  const years = series.map((r) => String(r.year));
  const jpChart = chart('impact-jp-chart', 'bar', years,
    [{ label: t('col_mean_jp'), data: series.map((r) => r.mean_jp) }], { label: t('impact_jp_chart') });
  const ikmChart = chart('impact-ikm-chart', 'line', years,
    [{ label: t('col_ikm'), data: series.map((r) => r.ikm) }], { label: t('impact_ikm_chart') });

  // The SKP predicates of each year, stacked: Sangat Baik first.
  const predicates = ['sangat_baik', 'baik', 'butuh_perbaikan', 'kurang', 'sangat_kurang'];
  const shades = ['#1b7837', '#7fbf7b', '#e0b03a', '#e07a1f', '#b2182b'];  // good to bad
  const skpChart = chart('impact-skp-chart', 'bar', years,
    predicates.map((p, i) => ({
      label: t(`skp_${p}`), data: series.map((r) => r[`skp_${p}`]), backgroundColor: shades[i], borderColor: shades[i],
    })),
    { stacked: true, integer: true, label: t('impact_skp_chart') });

  const place = (r) => r.office_name ?? t('whole_city');
  const yearsTable = dataTable({
    id: 'impact-years',
    rows: impact.years,
    rowKey: (r) => `${r.office_id ?? 'kota'}/${r.year}`,
    csv: { path: '/v1/reports/impact', params },
    columns: [
      { key: 'office_name', label: t('col_office'), render: place, value: place },
      { key: 'year', label: t('year') },
      { key: 'employees', label: t('col_employees'), type: 'num', digits: 0 },
      { key: 'mean_jp', label: t('col_mean_jp'), type: 'num' },
      { key: 'share_meeting', label: t('col_share_meeting'), type: 'pct' },
      { key: 'respondents', label: t('col_respondents'), type: 'num', digits: 0 },
      { key: 'ikm', label: t('col_ikm'), type: 'num' },
      { key: 'ikm_category', label: t('col_category') },
      { key: 'skp_assessed', label: t('col_skp_assessed'), type: 'num', digits: 0 },
      ...predicates.map((p) => ({ key: `skp_${p}`, label: t(`skp_${p}`), type: 'num', digits: 0 })),
    ],
  });

  const levels = (r) => [r.n_reaction, r.n_paired, r.n_behaviour, r.n_result].filter((n) => n > 0).length;
  const kirkpatrick = dataTable({
    id: 'impact-trainings',
    rows: trainings.trainings,
    rowKey: (r) => r.training_id,
    csv: { path: '/v1/reports/trainings', params },
    columns: [
      { key: 'title', label: t('col_title') },
      { key: 'office_name', label: t('col_host'), render: (r) => r.office_name ?? t('global_training') },
      { key: 'participants', label: t('col_participants'), type: 'num', digits: 0 },
      { key: 'mean_reaction', label: t('col_l1'), type: 'num' },
      { key: 'gain', label: t('col_l2'), type: 'num' },
      { key: 'normalized_gain', label: t('col_normalized_gain'), type: 'num' },
      { key: 'mean_behaviour', label: t('col_l3'), type: 'num' },
      { key: 'mean_result', label: t('col_l4'), type: 'num' },
      { key: 'levels', label: t('col_levels'), type: 'num', digits: 0, value: levels },
    ],
  });

  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('dampak_title')),
      h('div', { class: 'selectors' }, yearSelect(ctx), officeSel)),
    h('p', { class: 'help' }, t('dampak_help', { from: impact.from, to: impact.to })),
    h('div', { class: 'chart-pair' }, section(t('impact_jp_chart'), jpChart), section(t('impact_ikm_chart'), ikmChart)),
    section(t('impact_skp_chart'), h('p', { class: 'help' }, t('impact_skp_help')), skpChart),
    section(t('impact_years'), yearsTable.el),
    section(t('impact_trainings'), h('p', { class: 'help' }, t('impact_trainings_help')), kirkpatrick.el));
}
