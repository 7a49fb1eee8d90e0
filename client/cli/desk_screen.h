// `latih desk`: the full-screen attendance desk (issue 8, docs/DESK.md).
#pragma once

#include <string>

#include "client/cli/cli_context.h"

namespace latih::client::cli {

// Adds `latih desk --session ID`.
void AddDeskCommand(CLI::App& app, CliContext& ctx);
// Runs the desk of `session_id` on the terminal until the clerk quits;
// returns the exit code (kExitUsage when not on a terminal).
int RunDesk(CliContext& ctx, const std::string& session_id);

}  // namespace latih::client::cli
