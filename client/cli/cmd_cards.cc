// `latih cards --training ID [--out FILE.html]`: printable participant
// cards with a QR code of each NIP (client/lib/cards.h).
#include <fstream>

#include "client/cli/cli_context.h"
#include "client/lib/cards.h"

namespace latih::client::cli {
namespace {

struct TrainingFacts {
  std::string title, dates, office;
};

Result<TrainingFacts> ReadTraining(OfficeDb& db, const std::string& id) {
  LATIH_ASSIGN_OR_RETURN(sync::sqlite::Stmt * s, db.store().db().Prepare(
      "SELECT t.title, t.start_date, t.end_date, coalesce(t.office_id, ''), coalesce(o.name, '') "
      "FROM training t LEFT JOIN office o ON o.id = coalesce(t.office_id, ?2) WHERE t.id = ?1"));
  s->Bind(1, id).Bind(2, db.office_id());
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) {
    s->Reset();
    return Status::NotFound("training '" + id + "' does not exist (see `latih training list`)");
  }
  TrainingFacts f;
  f.title = s->ColumnText(0);
  const std::string start = s->ColumnText(1), end = s->ColumnText(2);
  f.dates = start == end ? start : start + " - " + end;
  f.office = s->ColumnText(3).empty() ? db.office_id() : s->ColumnText(3);
  f.dates += s->ColumnText(4).empty() ? "" : " \xC2\xB7 " + s->ColumnText(4);
  s->Reset();
  return f;
}

}  // namespace

void AddCardsCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("cards", "Printable participant cards of a training, each with a QR code of "
                                          "the NIP for the desk's scanner (HTML: open it and print)");
  static std::string training, out;
  cmd->add_option("--training", training, "The training's id (see latih training list)")->required();
  cmd->add_option("--out", out, "Write the page to FILE.html (default: standard output)");
  cmd->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto facts = ReadTraining(**db, training);
    if (!facts.ok()) return void(ctx.exit_code = ctx.Fail(facts.status()));
    auto people = LoadRoster(**db, training, facts->office, "");
    if (!people.ok()) return void(ctx.exit_code = ctx.Fail(people.status()));
    auto html = RenderCardsHtml(facts->title, facts->dates, *people);
    if (!html.ok()) return void(ctx.exit_code = ctx.Fail(html.status()));
    if (out.empty()) {
      std::cout << *html;
      return;
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << *html;
    if (!file.flush()) return void(ctx.exit_code = ctx.Fail(Status::IOError("cannot write " + out)));
    std::cerr << people->size() << " cards written to " << out << "\n";
  });
}

}  // namespace latih::client::cli
