// `latih cards --training ID [--out FILE.html]`: printable participant
// cards with a QR code of each NIP (client/lib/cards.h).
#include <fstream>

#include "client/cli/cli_context.h"
#include "client/lib/cards.h"

namespace latih::client::cli {

void AddCardsCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("cards", Help(Msg::kHelpCards));
  static std::string training, out;
  cmd->add_option("--training", training, Help(Msg::kHelpCardsTraining))->required();
  cmd->add_option("--out", out, Help(Msg::kHelpCardsOut));
  cmd->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto page = CardsForTraining(**db, training);
    if (!page.ok()) return void(ctx.exit_code = ctx.Fail(page.status()));
    auto html = RenderCardsHtml(page->title, page->subtitle, page->people);
    if (!html.ok()) return void(ctx.exit_code = ctx.Fail(html.status()));
    if (out.empty()) {
      std::cout << *html;
      return;
    }
    std::ofstream file(out, std::ios::binary | std::ios::trunc);
    file << *html;
    if (!file.flush()) return void(ctx.exit_code = ctx.Fail(Status::IOError(Say(Msg::kCannotWrite, {out}))));
    std::cerr << Say(Msg::kCardsWritten, {std::to_string(page->people.size()), out}) << "\n";
  });
}

}  // namespace latih::client::cli
