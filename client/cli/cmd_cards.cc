// `latih cards --training ID [--out FILE.html]`: printable participant
// cards with a QR code of each NIP (client/lib/cards.h).
#include <fstream>

#include "client/cli/cli_context.h"
#include "client/lib/cards.h"

namespace latih::client::cli {

void AddCardsCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("cards", "Printable participant cards of a training, each with a QR code of "
                                          "the NIP for the desk's scanner (HTML: open it and print)");
  static std::string training, out;
  cmd->add_option("--training", training, "The training's id (see latih training list)")->required();
  cmd->add_option("--out", out, "Write the page to FILE.html (default: standard output)");
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
    if (!file.flush()) return void(ctx.exit_code = ctx.Fail(Status::IOError("cannot write " + out)));
    std::cerr << page->people.size() << " cards written to " << out << "\n";
  });
}

}  // namespace latih::client::cli
