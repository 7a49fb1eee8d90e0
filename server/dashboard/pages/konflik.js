// Konflik: concurrent edits the server decided, with both values; HR keeps
// one (POST /v1/reports/conflicts/ID/resolve {"keep": "winner"|"loser"}).

import { getJson, postJson } from '../api.js';
import { h, section, select } from '../dom.js';
import { fmtNum, t } from '../i18n.js';
import { dataTable } from '../table.js';

function valueCell(ctx, c, side) {
  const value = c[`${side}_value`];
  const cell = h('div', { class: 'conflict-value' },
    h('span', { class: 'value', dataset: { side } }, value ?? '–'),
    h('small', {}, c[`${side}_origin`] ?? ''));
  if (!c.resolved_at) {
    cell.append(h('button', {
      type: 'button', class: `keep keep-${side}`, dataset: { conflict: String(c.id), keep: side },
      onclick: async (e) => {
        e.target.disabled = true;
        try {
          await postJson(`/v1/reports/conflicts/${c.id}/resolve`, { keep: side });
          ctx.rerender();
          ctx.say(t('resolved_ok', { id: c.id }));
        } catch (err) {
          e.target.disabled = false;
          ctx.say(err.status === 409 ? t('conflict_changed', { msg: err.message }) : `${t('error')}: ${err.message}`,
            true);
        }
      },
    }, t('keep_this')));
  }
  return cell;
}

export async function render(ctx) {
  const { state } = ctx;
  state.conflictStatus ??= 'open';
  const params = { status: state.conflictStatus };
  const data = await getJson('/v1/reports/conflicts', params);
  const open = data.conflicts.filter((c) => !c.resolved_at).length;
  const table = dataTable({
    id: 'conflicts',
    rows: data.conflicts,
    rowKey: (r) => String(r.id),
    rowClass: (r) => (r.resolved_at ? 'resolved' : ''),
    csv: { path: '/v1/reports/conflicts', params },
    columns: [
      { key: 'id', label: '#', type: 'num', digits: 0 },
      { key: 'detected_at', label: t('col_detected'), type: 'datetime' },
      { key: 'table', label: t('col_table') },
      { key: 'column', label: t('col_column') },
      { key: 'label', label: t('col_row') },
      { key: 'winner_value', label: t('col_winner'), render: (r) => valueCell(ctx, r, 'winner') },
      { key: 'loser_value', label: t('col_loser'), render: (r) => valueCell(ctx, r, 'loser') },
      { key: 'current_value', label: t('col_current') },
      { key: 'resolved_at', label: t('col_resolved'), type: 'datetime' },
    ],
  });
  const statusSel = select(t('status'), state.conflictStatus,
    [['open', t('status_open')], ['all', t('status_all')]], (v) => { state.conflictStatus = v; ctx.rerender(); },
    'conflict-status');
  return h('div', { class: 'page' },
    h('div', { class: 'page-head' },
      h('h1', {}, t('konflik_title')),
      h('div', { class: 'selectors' }, statusSel)),
    h('p', { class: 'help' }, t('konflik_help')),
    section(h('span', { id: 'open-count', dataset: { value: String(open) } }, t('open_conflicts', { n: fmtNum(open) })),
      table.el));
}
