// Pengingat 20 JP: the PNS still below the yearly minimum, how many JP each
// still needs, and the trainings still to start this year (global, or of
// their office) that would cover it, earliest first; per office, how many
// are below and how many the planned trainings would cover.

import { getJson } from '../api.js';
import { chart } from '../charts.js';
import { h, section } from '../dom.js';
import { fmtDate, t } from '../i18n.js';
import { dataTable } from '../table.js';
import { officeSelect, yearSelect } from './common.js';

function coveredBadge(covered) {
  return h('span', { class: `badge ${covered ? 'good' : 'bad'}` }, t(covered ? 'covered_yes' : 'covered_no'));
}

export async function render(ctx) {
  const { state } = ctx;
  const params = { year: state.year, office: state.office };
  const path = '/v1/reports/reminders';
  const [rem, officeSel] = await Promise.all([getJson(path, params), officeSelect(ctx)]);

  const remChart = chart('reminders-chart', 'bar', rem.offices.map((o) => o.office_name), [
    { label: t('series_covered'), data: rem.offices.map((o) => o.covered) },
    { label: t('series_not_covered'), data: rem.offices.map((o) => o.below_minimum - o.covered) },
  ], { stacked: true, integer: true, label: t('reminders_chart') });

  const officeTable = dataTable({
    id: 'reminders-offices',
    rows: rem.offices,
    rowKey: (r) => r.office_id,
    csv: { path, params: { ...params, table: 'offices' } },
    columns: [
      { key: 'office_name', label: t('col_office') },
      { key: 'below_minimum', label: t('col_below_minimum'), type: 'num', digits: 0 },
      { key: 'jp_needed', label: t('col_jp_needed'), type: 'num' },
      { key: 'covered', label: t('col_covered_people'), type: 'num', digits: 0 },
    ],
  });
  const peopleTable = dataTable({
    id: 'reminders-people',
    rows: rem.people,
    rowKey: (r) => r.nip,
    rowClass: (r) => (r.covered ? '' : 'flagged'),
    csv: { path, params: { ...params, table: 'people' } },
    columns: [
      { key: 'nip', label: t('col_nip') },
      { key: 'name', label: t('col_name') },
      { key: 'office_name', label: t('col_office') },
      { key: 'jp', label: t('col_jp'), type: 'num' },
      { key: 'jp_needed', label: t('col_jp_needed'), type: 'num' },
      { key: 'suggested', label: t('col_suggested') },
      { key: 'jp_suggested', label: t('col_jp_suggested'), type: 'num' },
      { key: 'covered', label: t('col_covered'), render: (r) => coveredBadge(r.covered) },
    ],
  });
  const upcomingTable = dataTable({
    id: 'reminders-upcoming',
    rows: rem.upcoming,
    rowKey: (r) => r.training_id,
    csv: { path, params: { ...params, table: 'upcoming' } },
    columns: [
      { key: 'title', label: t('col_title') },
      { key: 'office_name', label: t('col_host'), render: (r) => r.office_name ?? t('global_training') },
      { key: 'start_date', label: t('col_start'), type: 'date' },
      { key: 'end_date', label: t('col_end'), type: 'date' },
      { key: 'jp', label: t('col_jp'), type: 'num' },
    ],
  });

  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('pengingat_title')),
      h('div', { class: 'selectors' }, yearSelect(ctx), officeSel)),
    h('p', { class: 'help' }, t('pengingat_help', { min: rem.minimum_jp, today: fmtDate(rem.today) })),
    section(t('reminders_chart'), remChart),
    section(t('jp_offices'), officeTable.el),
    section(t('reminders_people'), peopleTable.el),
    section(t('reminders_upcoming'), upcomingTable.el));
}
