// latih: the office client. Records competency-development activities into a
// local SQLite database that works without any network.
#include <cstdlib>
#include <exception>

#include "client/cli/cli_context.h"
#include "client/cli/desk_screen.h"
#include "client/lib/messages.h"

int main(int argc, char** argv) {
  using namespace latih::client::cli;
  CliContext ctx;
  latih::client::SetLanguage(latih::client::LanguageFromEnvironment());
  const char* env_db = std::getenv("LATIH_DB");
  ctx.db_path = env_db && *env_db ? env_db : "latih.db";
  CLI::App app{"latih: catat pengembangan kompetensi ASN, juga tanpa jaringan.\n"
               "Records ASN competency development offline.", "latih"};
  app.add_option("--db", ctx.db_path, "Database file (default: $LATIH_DB, else ./latih.db)");
  app.require_subcommand(1);
  app.footer("Exit codes: 0 ok, 2 usage, 3 input refused, 4 not found, 5 database error, "
             "6 database from a newer latih, 1 internal error; sync: 7 partly refused (see latih status), "
             "8 credentials refused, 9 server unreachable (try again), 10 update latih.");
  AddRecordCommands(app, ctx);
  AddEventCommands(app, ctx);
  AddReportCommands(app, ctx);
  AddConflictCommands(app, ctx);
  AddSyncCommands(app, ctx);
  AddDeskCommand(app, ctx);
  AddCardsCommand(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "latih: usage error: " << e.what() << "\nRun 'latih --help' or 'latih COMMAND --help'.\n";
    return kExitUsage;
  } catch (const std::exception& e) {
    std::cerr << "latih: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return ctx.exit_code;
}
