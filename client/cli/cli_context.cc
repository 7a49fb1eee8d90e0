#include "client/cli/cli_context.h"

#include "sync/env.h"

namespace latih::client::cli {

int ExitCodeFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk: return kExitOk;
    case StatusCode::kInvalidArgument: return kExitInvalid;
    case StatusCode::kNotFound: return kExitNotFound;
    case StatusCode::kSchemaTooNew: return kExitSchemaTooNew;
    case StatusCode::kIOError:
    case StatusCode::kCorruption:
    case StatusCode::kUnavailable:
    case StatusCode::kPermissionDenied: return kExitDatabase;
    default: return kExitInternal;
  }
}

int CliContext::Fail(const Status& status) const {
  std::cerr << Say(Msg::kCliError, {status.message()}) << "\n";
  return ExitCodeFor(status);
}

Result<std::unique_ptr<OfficeDb>> CliContext::Open() const {
  return OfficeDb::Open(db_path, sync::DefaultEnv());
}

void LocalizeHelp(CLI::App& app) {
  app.option_defaults()->group(Help(Msg::kHelpGroupOptions));
  app.set_help_flag("-h,--help", Help(Msg::kHelpHelp));
  auto formatter = app.get_formatter();
  formatter->label("Usage", Help(Msg::kHelpLabelUsage));
  formatter->label("OPTIONS", Help(Msg::kHelpLabelOptionsWord));
  formatter->label("REQUIRED", Help(Msg::kHelpLabelRequired));
  formatter->label("Excludes", Help(Msg::kHelpLabelExcludes));
  formatter->label("Positionals", Help(Msg::kHelpLabelPositionals));
  formatter->label("SUBCOMMAND", Help(Msg::kHelpLabelSubcommand));
  formatter->label("SUBCOMMANDS", Help(Msg::kHelpLabelSubcommands));
}

void LocalizeSubcommandGroups(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands(std::function<bool(CLI::App*)>())) {
    sub->group(Help(Msg::kHelpGroupSubcommands));
    // CLI11 copies the parent's help flag before its option defaults.
    if (CLI::Option* help = sub->get_help_ptr()) help->group(Help(Msg::kHelpGroupOptions));
    LocalizeSubcommandGroups(*sub);
  }
}

int ReportImport(const ImportReport& rep, const std::string& source, Msg what, Msg refused) {
  if (!rep.errors.empty()) {
    for (const auto& e : rep.errors) {
      std::cerr << Say(Msg::kFileLine, {source, std::to_string(e.line), e.message}) << "\n";
    }
    std::cerr << Say(Msg::kCliError, {Say(refused, {std::to_string(rep.errors.size()), std::to_string(rep.records),
                                                    source})})
              << "\n";
    return kExitInvalid;
  }
  std::cout << Say(Msg::kImportSummary, {Say(what), std::to_string(rep.records), std::to_string(rep.created),
                                         std::to_string(rep.updated), std::to_string(rep.unchanged)});
  if (rep.placeholders) std::cout << Say(Msg::kImportPlaceholders, {std::to_string(rep.placeholders)});
  if (rep.skipped) std::cout << Say(Msg::kImportSkipped, {std::to_string(rep.skipped)});
  std::cout << "\n";
  return kExitOk;
}

void AddFormatFlags(CLI::App& cmd, CliContext& ctx) {
  auto* j = cmd.add_flag("--json", ctx.json, Help(Msg::kHelpJson));
  auto* c = cmd.add_flag("--csv", ctx.csv, Help(Msg::kHelpCsv));
  j->excludes(c);
}

}  // namespace latih::client::cli
