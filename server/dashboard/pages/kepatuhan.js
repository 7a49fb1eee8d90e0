// Kepatuhan 20 JP: per office, how many PNS meet the yearly minimum (chart
// and table); per employee, JP and JP still needed, filtered by office,
// standing and text.

import { downloadCsvPages, getJson } from '../api.js';
import { chart } from '../charts.js';
import { h, section, select } from '../dom.js';
import { t } from '../i18n.js';
import { dataTable } from '../table.js';
import { officeSelect, yearSelect } from './common.js';

const kStandings = ['memenuhi', 'belum_memenuhi', 'dalam_batas', 'melebihi_batas'];

function standingBadge(s) {
  const cls = s === 'belum_memenuhi' || s === 'melebihi_batas' ? 'bad' : 'good';
  return h('span', { class: `badge ${cls}` }, t(`standing_${s}`));
}

export async function render(ctx) {
  const { state } = ctx;
  const params = { year: state.year, office: state.office };
  const [jp, officeSel] = await Promise.all([getJson('/v1/reports/jp', params), officeSelect(ctx)]);

  const labels = jp.offices.map((o) => o.office_name);
  const jpChart = chart('jp-chart', 'bar', labels, [
    { label: t('series_met'), data: jp.offices.map((o) => o.pns - o.below_minimum) },
    { label: t('series_below'), data: jp.offices.map((o) => o.below_minimum) },
  ], { stacked: true, integer: true, label: t('jp_chart') });

  const officeTable = dataTable({
    id: 'jp-offices',
    rows: jp.offices,
    rowKey: (r) => r.office_id,
    csv: { path: '/v1/reports/jp', params: { ...params, table: 'offices' } },
    columns: [
      { key: 'office_name', label: t('col_office') },
      { key: 'employees', label: t('col_employees'), type: 'num', digits: 0 },
      { key: 'pns', label: t('col_pns'), type: 'num', digits: 0 },
      { key: 'pppk', label: t('col_pppk'), type: 'num', digits: 0 },
      { key: 'below_minimum', label: t('col_below_minimum'), type: 'num', digits: 0 },
      { key: 'above_cap', label: t('col_above_cap'), type: 'num', digits: 0 },
      { key: 'total_jp', label: t('col_total_jp'), type: 'num' },
      { key: 'mean_jp', label: t('col_mean_jp'), type: 'num' },
    ],
  });

  let standing = '';
  const employeeTable = dataTable({
    id: 'jp-employees',
    rows: jp.employees,
    rowKey: (r) => r.nip,
    rowClass: (r) => (r.standing === 'belum_memenuhi' || r.standing === 'melebihi_batas' ? 'flagged' : ''),
    csv: { path: '/v1/reports/jp', params: { ...params, table: 'employees' } },
    columns: [
      { key: 'nip', label: t('col_nip') },
      { key: 'name', label: t('col_name') },
      { key: 'office_name', label: t('col_office') },
      { key: 'type', label: t('col_type'), render: (r) => r.type.toUpperCase() },
      { key: 'jp', label: t('col_jp'), type: 'num' },
      { key: 'jp_needed', label: t('col_jp_needed'), type: 'num' },
      { key: 'standing', label: t('col_standing'), render: (r) => standingBadge(r.standing) },
      { key: 'sessions', label: t('col_sessions'), type: 'num', digits: 0 },
      { key: 'trainings', label: t('col_trainings'), type: 'num', digits: 0 },
      { key: 'jp_teknis', label: t('col_jp_teknis'), type: 'num' },
      { key: 'jp_manajerial', label: t('col_jp_manajerial'), type: 'num' },
      { key: 'jp_sosial_kultural', label: t('col_jp_sosial_kultural'), type: 'num' },
    ],
  });
  const standingSel = select(t('col_standing'), standing,
    [['', t('all_standings')], ...kStandings.map((s) => [s, t(`standing_${s}`)])], (v) => {
      standing = v;
      employeeTable.setPredicate((r) => !standing || r.standing === standing);
    }, 'standing');

  // The SIASN export of the year (and office): every page of the report.
  const siasnBtn = h('button', {
    type: 'button', class: 'csv', id: 'siasn-download',
    onclick: async () => {
      siasnBtn.disabled = true;
      siasnBtn.textContent = t('downloading');
      try {
        await downloadCsvPages('/v1/reports/siasn', params, window.latihSiasnPageSize ?? 25000);
      } catch (e) {
        siasnBtn.after(h('span', { class: 'error' }, `${t('error')}: ${e.message}`));
      } finally {
        siasnBtn.disabled = false;
        siasnBtn.textContent = t('siasn_download');
      }
    },
  }, t('siasn_download'));

  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('kepatuhan_title')),
      h('div', { class: 'selectors' }, yearSelect(ctx), officeSel)),
    h('p', { class: 'help' }, t('kepatuhan_help', { min: jp.minimum_jp, cap: jp.pppk_cap_jp })),
    section(t('jp_chart'), jpChart),
    section(t('jp_offices'), officeTable.el),
    section(t('jp_employees'), h('div', { class: 'selectors' }, standingSel), employeeTable.el),
    section(t('siasn_title'), h('p', { class: 'help' }, t('siasn_help')), siasnBtn));
}
