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
  std::cerr << "latih: error: " << status.message() << "\n";
  return ExitCodeFor(status);
}

Result<std::unique_ptr<OfficeDb>> CliContext::Open() const {
  return OfficeDb::Open(db_path, sync::DefaultEnv());
}

void AddFormatFlags(CLI::App& cmd, CliContext& ctx) {
  auto* j = cmd.add_flag("--json", ctx.json, "Print JSON (an array of objects)");
  auto* c = cmd.add_flag("--csv", ctx.csv, "Print CSV (for spreadsheets)");
  j->excludes(c);
}

}  // namespace latih::client::cli
