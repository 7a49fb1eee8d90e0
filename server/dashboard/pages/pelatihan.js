// Pelatihan: the trainings of a year (#/pelatihan) and one training in
// detail (#/pelatihan/ID): sessions and attendance, attendance per office,
// pre/post tests and gain, reaction per aspect.

import { getJson } from '../api.js';
import { chart } from '../charts.js';
import { card, h, section } from '../dom.js';
import { fmtDate, fmtNum, fmtPct, t } from '../i18n.js';
import { dataTable } from '../table.js';
import { officeSelect, yearSelect } from './common.js';

function hostName(r) { return r.office_name ?? t('global_training'); }

async function list(ctx) {
  const { state } = ctx;
  const params = { year: state.year, office: state.office };
  const [data, officeSel] = await Promise.all([getJson('/v1/reports/trainings', params), officeSelect(ctx)]);
  const table = dataTable({
    id: 'trainings',
    rows: data.trainings,
    rowKey: (r) => r.training_id,
    csv: { path: '/v1/reports/trainings', params },
    columns: [
      {
        key: 'title', label: t('col_title'), cls: 'wide',
        render: (r) => h('a', { href: `#/pelatihan/${encodeURIComponent(r.training_id)}` }, r.title),
      },
      { key: 'office_name', label: t('col_host'), value: hostName },
      { key: 'competency', label: t('col_competency') },
      { key: 'jp', label: t('col_jp'), type: 'num' },
      { key: 'start_date', label: t('col_start'), type: 'date' },
      { key: 'participants', label: t('col_participants'), type: 'num', digits: 0 },
      { key: 'sessions', label: t('col_sessions'), type: 'num', digits: 0 },
      { key: 'attendance_rate', label: t('col_attendance_rate'), type: 'pct' },
      { key: 'mean_pre', label: t('col_mean_pre'), type: 'num' },
      { key: 'mean_post', label: t('col_mean_post'), type: 'num' },
      { key: 'gain', label: t('col_gain'), type: 'num' },
      { key: 'normalized_gain', label: t('col_normalized_gain'), type: 'num' },
      { key: 'mean_reaction', label: t('col_mean_reaction'), type: 'num' },
    ],
  });
  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('pelatihan_title')),
      h('div', { class: 'selectors' }, yearSelect(ctx), officeSel)),
    section(t('pelatihan_title'), table.el));
}

async function detail(ctx, id) {
  const path = `/v1/reports/trainings/${encodeURIComponent(id)}`;
  const tr = await getJson(path);
  const cards = h('div', { class: 'cards' },
    card('participants', t('card_participants'), fmtNum(tr.participants), tr.participants),
    card('attendance_rate', t('card_attendance'), fmtPct(tr.attendance_rate), tr.attendance_rate),
    card('mean_pre', t('card_pre'), fmtNum(tr.mean_pre), tr.mean_pre),
    card('mean_post', t('card_post'), fmtNum(tr.mean_post), tr.mean_post),
    card('gain', t('card_gain'), fmtNum(tr.gain), tr.gain),
    card('normalized_gain', t('card_ngain'), fmtNum(tr.normalized_gain), tr.normalized_gain),
    card('mean_reaction', t('card_reaction'), fmtNum(tr.mean_reaction), tr.mean_reaction));
  const count = (key) => ({ key, label: key.replaceAll('_', ' '), type: 'num', digits: 0 });
  const sessions = dataTable({
    id: 'training-sessions',
    rows: tr.sessions,
    rowKey: (r) => r.session_id,
    csv: { path, params: { table: 'sessions' } },
    columns: [
      { key: 'date', label: t('col_date'), type: 'date' },
      { key: 'start_time', label: t('col_start_time') },
      { key: 'jp_credit', label: t('col_jp_credit'), type: 'num' },
      { key: 'participants', label: t('col_participants'), type: 'num', digits: 0 },
      { key: 'attended', label: t('col_attended'), type: 'num', digits: 0 },
      { key: 'rate', label: t('col_rate'), type: 'pct' },
      ...['hadir', 'terlambat', 'pulang_awal', 'izin', 'sakit', 'dinas_luar', 'cuti', 'alpa'].map(count),
    ],
  });
  const byOffice = dataTable({
    id: 'training-by-office',
    rows: tr.by_office,
    rowKey: (r) => r.office_id,
    csv: { path, params: { table: 'by_office' } },
    columns: [
      { key: 'office_name', label: t('col_office') },
      { key: 'participants', label: t('col_participants'), type: 'num', digits: 0 },
      { key: 'attended', label: t('col_attended'), type: 'num', digits: 0 },
      { key: 'attendance_rate', label: t('col_attendance_rate'), type: 'pct' },
    ],
  });
  const aspects = dataTable({
    id: 'training-aspects',
    rows: tr.reaction_aspects,
    rowKey: (r) => r.aspect,
    csv: { path, params: { table: 'reaction_aspects' } },
    columns: [
      { key: 'aspect', label: t('col_aspect') },
      { key: 'n', label: t('col_n'), type: 'num', digits: 0 },
      { key: 'mean', label: t('col_mean'), type: 'num' },
    ],
  });
  const aspectChart = tr.reaction_aspects.length === 0 ? '' : chart('reaction-chart', 'bar', tr.reaction_aspects.map((a) => a.aspect),
    [{ label: t('col_mean'), data: tr.reaction_aspects.map((a) => a.mean) }],
    { horizontal: true, yMax: 100, label: t('training_reaction') });
  return h('div', { class: 'page' },
    h('p', {}, h('a', { href: '#/pelatihan', class: 'back' }, t('back_to_list'))),
    h('div', { class: 'page-head' },
      h('h1', { id: 'training-title' }, tr.title),
      h('p', { class: 'help' }, `${hostName(tr)} · ${t('training_days', {
        start: fmtDate(tr.start_date), end: fmtDate(tr.end_date),
      })} · ${fmtNum(tr.jp)} JP · ${tr.competency}`)),
    cards,
    section(t('training_sessions'), sessions.el),
    section(t('training_by_office'), byOffice.el),
    section(t('training_reaction'), aspectChart, aspects.el));
}

export async function render(ctx) {
  return ctx.params[0] ? detail(ctx, ctx.params[0]) : list(ctx);
}
