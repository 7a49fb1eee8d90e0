// latih report jp | attendance | evaluation | reminders | ikm.
#include "client/cli/cli_context.h"
#include "sync/sqlite/reminders.h"
#include "sync/sqlite/reports.h"

namespace latih::client::cli {

void AddReportCommands(CLI::App& app, CliContext& ctx) {
  auto* rep = app.add_subcommand("report", Help(Msg::kHelpReport))->require_subcommand(1);

  static int year = 0;
  auto* jp = rep->add_subcommand("jp", Help(Msg::kHelpReportJp));
  jp->add_option("--year", year, Help(Msg::kHelpYear))->required()->check(CLI::Range(1900, 2099));
  AddFormatFlags(*jp, ctx);
  jp->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto rows = sync::sqlite::JpReport((*db)->store(), year, (*db)->office_id(), (*db)->policy());
    if (!rows.ok()) return void(ctx.exit_code = ctx.Fail(rows.status()));
    Render(JpTable(*rows, year, (*db)->policy()), ctx.format(), std::cout);
  });

  static std::string training;
  auto* att = rep->add_subcommand("attendance", Help(Msg::kHelpReportAttendance));
  att->add_option("--training", training, Help(Msg::kHelpTrainingId))->required();
  AddFormatFlags(*att, ctx);
  att->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto r = sync::sqlite::AttendanceReport((*db)->store(), training);
    if (!r.ok()) return void(ctx.exit_code = ctx.Fail(r.status()));
    Render(AttendanceTable(*r), ctx.format(), std::cout);
  });

  auto* ev = rep->add_subcommand("evaluation", Help(Msg::kHelpReportEvaluation));
  ev->add_option("--training", training, Help(Msg::kHelpTrainingId))->required();
  AddFormatFlags(*ev, ctx);
  ev->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto r = sync::sqlite::EvaluationReport((*db)->store(), training);
    if (!r.ok()) return void(ctx.exit_code = ctx.Fail(r.status()));
    Render(EvaluationTable(*r), ctx.format(), std::cout);
  });

  static int reminder_year = 0;
  static std::string today;
  auto* rem = rep->add_subcommand("reminders", Help(Msg::kHelpReportReminders));
  rem->add_option("--year", reminder_year, Help(Msg::kHelpYearDefault))->check(CLI::Range(1900, 2099));
  rem->add_option("--today", today, Help(Msg::kHelpToday));
  AddFormatFlags(*rem, ctx);
  rem->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    std::string day = today;
    if (day.empty()) {
      auto now = (*db)->LocalTimestamp();
      if (!now.ok()) return void(ctx.exit_code = ctx.Fail(now.status()));
      day = now->substr(0, 10);
    }
    const int year = reminder_year ? reminder_year : std::atoi(day.substr(0, 4).c_str());
    auto rows = sync::sqlite::JpReport((*db)->store(), year, (*db)->office_id(), (*db)->policy());
    if (!rows.ok()) return void(ctx.exit_code = ctx.Fail(rows.status()));
    auto list = sync::sqlite::ReminderReport((*db)->store(), year, day, *rows, (*db)->policy());
    if (!list.ok()) return void(ctx.exit_code = ctx.Fail(list.status()));
    Render(RemindersTable(*list, year, day), ctx.format(), std::cout);
  });

  static std::string period;
  auto* ikm = rep->add_subcommand("ikm", Help(Msg::kHelpReportIkm));
  ikm->add_option("--period", period, Help(Msg::kHelpPeriod))->required();
  AddFormatFlags(*ikm, ctx);
  ikm->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto r = sync::sqlite::IkmReport((*db)->store(), period, (*db)->office_id());
    if (!r.ok()) return void(ctx.exit_code = ctx.Fail(r.status()));
    Render(IkmTable(*r, period), ctx.format(), std::cout);
  });
}

}  // namespace latih::client::cli
