// State shared by the `latih` subcommands: global flags, the output format,
// opening the database, and the one mapping from Status to exit code and
// error message. Commands print results on stdout and diagnostics on stderr.
#pragma once

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <string>

#include "client/lib/messages.h"
#include "client/lib/importers.h"
#include "client/lib/office_db.h"
#include "client/lib/report_format.h"

namespace latih::client::cli {

// Process exit codes (README "Exit codes" lists the same table).
enum ExitCode : int {
  kExitOk = 0,
  kExitInternal = 1,     // a bug or an unexpected failure
  kExitUsage = 2,        // bad command line
  kExitInvalid = 3,      // input refused (nothing was stored)
  kExitNotFound = 4,     // an id, NIP, office or file that does not exist
  kExitDatabase = 5,     // the database cannot be read or written (busy, I/O, corrupt, permissions)
  kExitSchemaTooNew = 6, // the database was written by a newer latih
  // `latih sync` and `latih enroll`:
  kExitSyncPartial = 7,  // synced, but the server refused some changes (quarantined: see latih status)
  kExitAuth = 8,         // the server refused the credentials (unknown, revoked, other office or database)
  kExitUnreachable = 9,  // no answer, a cut connection or a server error: nothing lost, try again later
  kExitVersion = 10,     // the server speaks another protocol or data schema: update latih
};

int ExitCodeFor(const Status& status);

struct CliContext {
  std::string db_path;
  bool json = false, csv = false;
  int exit_code = kExitOk;

  OutputFormat format() const {
    return json ? OutputFormat::kJson : csv ? OutputFormat::kCsv : OutputFormat::kText;
  }
  // Prints `status` on stderr as "latih: error: ..." (Msg::kCliError) and
  // returns its exit code.
  int Fail(const Status& status) const;
  // Opens the database (not creating it).
  Result<std::unique_ptr<OfficeDb>> Open() const;
};

// A help text of the catalog, as CLI11 takes it.
inline std::string Help(Msg message) { return std::string(Say(message)); }
// Puts the help flag's text and CLI11's help labels (Usage, REQUIRED...) in
// the current language. Call on the top app before adding subcommands.
void LocalizeHelp(CLI::App& app);
// Names the "Subcommands" group, and the group of the help flag, of every
// subcommand below `app` in the current language. Call once all subcommands are added.
void LocalizeSubcommandGroups(CLI::App& app);

// Prints an import's outcome: every bad line and the refusal on stderr
// (`refused`: {1} bad lines, {2} lines, {3} file), or the summary named
// `what` on stdout. Returns the exit code.
int ReportImport(const ImportReport& rep, const std::string& source, Msg what, Msg refused);

// Adds --json and --csv to `cmd`.
void AddFormatFlags(CLI::App& cmd, CliContext& ctx);

void AddRecordCommands(CLI::App& app, CliContext& ctx);
void AddEventCommands(CLI::App& app, CliContext& ctx);
void AddReportCommands(CLI::App& app, CliContext& ctx);
void AddConflictCommands(CLI::App& app, CliContext& ctx);
void AddSyncCommands(CLI::App& app, CliContext& ctx);
void AddCardsCommand(CLI::App& app, CliContext& ctx);
void AddElearningCommand(CLI::App& app, CliContext& ctx);
void AddSkpCommand(CLI::App& app, CliContext& ctx);

}  // namespace latih::client::cli
