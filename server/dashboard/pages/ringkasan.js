// Ringkasan: the overview cards, the latest IKM per office and how fresh
// the central data is per kelurahan (silent offices highlighted).

import { getJson } from '../api.js';
import { card, h, section } from '../dom.js';
import { fmtNum, fmtPct, t } from '../i18n.js';
import { dataTable } from '../table.js';
import { yearSelect } from './common.js';

function silentBadge(silent) {
  return h('span', { class: silent ? 'badge bad' : 'badge good' }, silent ? t('silent') : t('active'));
}

export async function render(ctx) {
  const { state } = ctx;
  const [offices, jp, trainings, ikm, fresh, conflicts] = await Promise.all([
    ctx.offices(),
    // The office summaries carry the counts: one employee row is enough
    // (a city's list is 100,000 rows).
    getJson('/v1/reports/jp', { year: state.year, limit: 1 }),
    getJson('/v1/reports/trainings', { year: state.year }),
    getJson('/v1/reports/ikm'),
    getJson('/v1/reports/freshness'),
    getJson('/v1/reports/conflicts', { status: 'open' }),
  ]);
  const kelurahan = offices.filter((o) => o.level === 'kelurahan').length;
  const pns = jp.offices.reduce((n, o) => n + o.pns, 0);
  const met = jp.offices.reduce((n, o) => n + o.pns - o.below_minimum, 0);
  const metShare = pns ? met / pns : null;
  const silentOffices = fresh.offices.filter((o) => o.silent).length;

  // The last period of each office (rows come oldest first).
  const latest = new Map();
  for (const r of ikm.rows) latest.set(r.office_id, r);

  const cards = h('div', { class: 'cards' },
    card('offices', t('card_offices'), fmtNum(kelurahan), kelurahan),
    card('employees', t('card_employees'), fmtNum(jp.total), jp.total),
    card('jp_met', t('card_jp_met'), `${fmtPct(metShare)} (${fmtNum(met)}/${fmtNum(pns)})`, metShare),
    card('trainings', t('card_trainings'), fmtNum(trainings.trainings.length), trainings.trainings.length),
    card('silent', t('card_silent'), fmtNum(silentOffices), silentOffices),
    card('conflicts', t('card_conflicts'), fmtNum(conflicts.conflicts.length), conflicts.conflicts.length));

  const ikmTable = dataTable({
    id: 'ringkasan-ikm',
    rows: [...latest.values()],
    rowKey: (r) => r.office_id,
    csv: { path: '/v1/reports/ikm', params: {} },
    columns: [
      { key: 'office_name', label: t('col_office') },
      { key: 'period', label: t('col_period') },
      { key: 'respondents', label: t('col_respondents'), type: 'num', digits: 0 },
      { key: 'ikm', label: t('col_ikm'), type: 'num' },
      { key: 'category', label: t('col_category'), render: (r) => `${r.category} (${r.category_label})` },
    ],
  });
  const officeTable = dataTable({
    id: 'freshness-offices',
    rows: fresh.offices,
    rowKey: (r) => r.office_id,
    rowClass: (r) => (r.silent ? 'silent' : ''),
    csv: { path: '/v1/reports/freshness', params: { table: 'offices' } },
    columns: [
      { key: 'office_name', label: t('col_office') },
      { key: 'devices', label: t('col_devices'), type: 'num', digits: 0 },
      { key: 'last_sync_at', label: t('col_last_sync'), type: 'datetime' },
      { key: 'days_since_sync', label: t('col_days_since'), type: 'num', digits: 1 },
      { key: 'silent', label: t('col_silent'), value: (r) => (r.silent ? 1 : 0), render: (r) => silentBadge(r.silent) },
    ],
  });
  const deviceTable = dataTable({
    id: 'freshness-devices',
    rows: fresh.devices,
    rowKey: (r) => String(r.device_id),
    rowClass: (r) => (r.silent ? 'silent' : ''),
    csv: { path: '/v1/reports/freshness', params: { table: 'devices' } },
    columns: [
      { key: 'office_name', label: t('col_office') },
      { key: 'name', label: t('col_device') },
      { key: 'last_sync_at', label: t('col_last_sync'), type: 'datetime' },
      { key: 'days_since_sync', label: t('col_days_since'), type: 'num', digits: 1 },
      { key: 'client_version', label: t('col_client_version') },
      { key: 'pending_changes', label: t('col_pending'), type: 'num', digits: 0 },
      { key: 'quarantined', label: t('col_quarantined'), type: 'num', digits: 0 },
      { key: 'silent', label: t('col_silent'), value: (r) => (r.silent ? 1 : 0), render: (r) => silentBadge(r.silent) },
    ],
  });

  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('ringkasan_title')),
      h('div', { class: 'selectors' }, yearSelect(ctx))),
    cards,
    section(t('freshness_offices'), h('p', { class: 'help' }, t('freshness_help', { n: fresh.silent_days })),
      officeTable.el),
    section(t('latest_ikm'), ikmTable.el),
    section(t('freshness_devices'), deviceTable.el));
}
