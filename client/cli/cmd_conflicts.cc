// latih conflicts [--all] | conflicts restore ID | conflicts keep ID.
#include "client/cli/cli_context.h"

namespace latih::client::cli {
namespace {

Table ConflictsTable(const std::vector<sync::sqlite::Store::Conflict>& rows) {
  Table t{{"id", "tabel", "baris", "kolom", "nilai_menang", "nilai_kalah", "node_menang", "node_kalah",
           "terdeteksi", "diselesaikan"}, {}, "", {}};
  for (const auto& c : rows) {
    t.rows.push_back({c.id, c.table, c.row_id, c.column.empty() ? Help(Msg::kConflictWholeRow) : c.column,
                      c.winner_value, c.loser_value, c.winner.node, c.loser.node, c.detected_at, c.resolved_at});
  }
  if (rows.empty()) t.footer.push_back(Help(Msg::kConflictsNone));
  return t;
}

int Resolve(CliContext& ctx, int64_t id, bool restore) {
  auto db = ctx.Open();
  if (!db.ok()) return ctx.Fail(db.status());
  auto batch = (*db)->store().BeginWrite();
  if (!batch.ok()) return ctx.Fail(batch.status());
  Status s = (*batch)->ResolveConflict(id, restore);
  if (s.ok()) s = (*batch)->Commit();
  if (!s.ok()) return ctx.Fail(s);
  std::cout << Say(restore ? Msg::kConflictRestored : Msg::kConflictKept, {std::to_string(id)}) << "\n";
  return kExitOk;
}

}  // namespace

void AddConflictCommands(CLI::App& app, CliContext& ctx) {
  static bool all = false;
  static int64_t id = 0;
  auto* cmd = app.add_subcommand("conflicts", Help(Msg::kHelpConflicts));
  cmd->require_subcommand(0, 1);
  cmd->add_flag("--all", all, Help(Msg::kHelpConflictsAll));
  AddFormatFlags(*cmd, ctx);
  auto* restore = cmd->add_subcommand("restore", Help(Msg::kHelpConflictRestore));
  restore->add_option("id", id, Help(Msg::kHelpConflictId))->required();
  restore->callback([&ctx] { ctx.exit_code = Resolve(ctx, id, true); });
  auto* keep = cmd->add_subcommand("keep", Help(Msg::kHelpConflictKeep));
  keep->add_option("id", id, Help(Msg::kHelpConflictId))->required();
  keep->callback([&ctx] { ctx.exit_code = Resolve(ctx, id, false); });
  cmd->callback([&ctx, cmd] {
    if (!cmd->get_subcommands().empty()) return;
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto rows = (*db)->store().ListConflicts(all);
    if (!rows.ok()) return void(ctx.exit_code = ctx.Fail(rows.status()));
    Render(ConflictsTable(*rows), ctx.format(), std::cout);
  });
}

}  // namespace latih::client::cli
