// latih: the office client. Records competency-development activities into a
// local SQLite database that works without any network.
#include <cstdlib>
#include <exception>

#include "client/cli/cli_context.h"
#include "client/cli/desk_screen.h"
#include "client/lib/messages.h"

int main(int argc, char** argv) {
  using namespace latih::client::cli;
  using latih::client::Msg;
  using latih::client::Say;
  CliContext ctx;
  latih::client::SetLanguage(latih::client::LanguageFromEnvironment());
  const char* env_db = std::getenv("LATIH_DB");
  ctx.db_path = env_db && *env_db ? env_db : "latih.db";
  CLI::App app{Help(Msg::kCliAbout), "latih"};
  LocalizeHelp(app);  // before the subcommands, which copy the help flag and labels
  app.add_option("--db", ctx.db_path, Help(Msg::kHelpDb));
  app.require_subcommand(1);
  app.footer(Help(Msg::kCliFooter));
  AddRecordCommands(app, ctx);
  AddEventCommands(app, ctx);
  AddReportCommands(app, ctx);
  AddConflictCommands(app, ctx);
  AddSyncCommands(app, ctx);
  AddDeskCommand(app, ctx);
  AddCardsCommand(app, ctx);
  AddElearningCommand(app, ctx);
  AddSkpCommand(app, ctx);
  LocalizeSubcommandGroups(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << Say(Msg::kCliUsageError, {e.what()}) << "\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << Say(Msg::kCliInternalError, {e.what()}) << "\n";
    return kExitInternal;
  }
  return ctx.exit_code;
}
