// latih conflicts [--all] | conflicts restore ID | conflicts keep ID.
#include "client/cli/cli_context.h"

namespace latih::client::cli {
namespace {

Table ConflictsTable(const std::vector<sync::sqlite::Store::Conflict>& rows) {
  Table t{{"id", "tabel", "baris", "kolom", "nilai_menang", "nilai_kalah", "node_menang", "node_kalah",
           "terdeteksi", "diselesaikan"}, {}, "", {}};
  for (const auto& c : rows) {
    t.rows.push_back({c.id, c.table, c.row_id, c.column.empty() ? std::string("(baris)") : c.column,
                      c.winner_value, c.loser_value, c.winner.node, c.loser.node, c.detected_at, c.resolved_at});
  }
  if (rows.empty()) t.footer.push_back("Tidak ada konflik.");
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
  std::cout << "Konflik " << id << (restore ? ": nilai yang kalah dipulihkan (akan disinkronkan)\n"
                                            : ": nilai yang menang dipertahankan\n");
  return kExitOk;
}

}  // namespace

void AddConflictCommands(CLI::App& app, CliContext& ctx) {
  static bool all = false;
  static int64_t id = 0;
  auto* cmd = app.add_subcommand("conflicts", "Concurrent edits decided by sync: list, restore the loser, keep");
  cmd->require_subcommand(0, 1);
  cmd->add_flag("--all", all, "Include resolved conflicts");
  AddFormatFlags(*cmd, ctx);
  auto* restore = cmd->add_subcommand("restore", "Write the losing value again (it then wins everywhere)");
  restore->add_option("id", id, "Conflict id")->required();
  restore->callback([&ctx] { ctx.exit_code = Resolve(ctx, id, true); });
  auto* keep = cmd->add_subcommand("keep", "Keep the winning value and close the conflict");
  keep->add_option("id", id, "Conflict id")->required();
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
