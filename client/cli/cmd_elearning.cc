// latih elearning import: an LMS's course completions (docs/ELEARNING.md).
#include "client/cli/cli_context.h"
#include "client/lib/elearning.h"

namespace latih::client::cli {

void AddElearningCommand(CLI::App& app, CliContext& ctx) {
  auto* el = app.add_subcommand("elearning", Help(Msg::kHelpElearning))->require_subcommand(1);
  static std::string file, course, lms = "moodle", competency = "teknis";
  static double jp = 0;
  static std::vector<std::string> columns;
  auto* imp = el->add_subcommand("import", Help(Msg::kHelpElearningImport));
  imp->add_option("file", file, Help(Msg::kHelpElearningFile))->required();
  imp->add_option("--course", course, Help(Msg::kHelpElearningCourse));
  imp->add_option("--jp", jp, Help(Msg::kHelpElearningJp));
  imp->add_option("--lms", lms, Help(Msg::kHelpElearningLms));
  imp->add_option("--competency", competency, Help(Msg::kHelpElearningCompetency));
  imp->add_option("--column", columns, Help(Msg::kHelpElearningColumn));
  imp->callback([&ctx, imp] {
    ElearningOptions opt;
    opt.lms = lms;
    opt.competency = competency;
    if (!course.empty()) opt.course = course;
    if (imp->count("--jp")) opt.jp = jp;
    for (const std::string& c : columns) {
      const size_t eq = c.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == c.size()) {
        return void(ctx.exit_code = ctx.Fail(Status::Invalid(Say(Msg::kElearningColumnFormat, {c}))));
      }
      opt.columns.emplace_back(c.substr(0, eq), c.substr(eq + 1));
    }
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto table = ReadCsvFile(file);
    if (!table.ok()) return void(ctx.exit_code = ctx.Fail(table.status()));
    auto rep = ImportElearning(**db, *table, file, opt);
    if (!rep.ok()) return void(ctx.exit_code = ctx.Fail(rep.status()));
    if (!rep->errors.empty()) {
      ImportReport as_import;  // the same listing and refusal as every import
      as_import.records = rep->records;
      as_import.errors = rep->errors;
      ctx.exit_code = ReportImport(as_import, file, Msg::kImportScores, Msg::kImportRefused);
      return;
    }
    for (const auto& u : rep->unmatched) {
      std::cerr << Say(Msg::kElearningUnmatched, {file, std::to_string(u.line), u.who, u.reason}) << "\n";
    }
    std::cout << Say(Msg::kElearningSummary,
                     {file, std::to_string(rep->records), std::to_string(rep->trainings),
                      std::to_string(rep->completions), std::to_string(rep->created),
                      std::to_string(rep->unchanged + rep->updated), std::to_string(rep->not_completed),
                      std::to_string(rep->unmatched.size())})
              << "\n";
    ctx.exit_code = kExitOk;
  });
}

}  // namespace latih::client::cli
