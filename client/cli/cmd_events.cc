// latih attend, evaluate, survey.
#include "client/cli/cli_context.h"
#include "client/lib/importers.h"

namespace latih::client::cli {
namespace {

int RunAttendOne(const CliContext& ctx, OfficeDb& db, const AttendInput& in) {
  auto r = db.Attend(in);
  if (!r.ok()) return ctx.Fail(r.status());
  std::cout << r->employee_name << ": " << r->status;
  if (r->minutes_late) std::cout << Say(Msg::kAttendLate, {std::to_string(*r->minutes_late)});
  if (!r->created) std::cout << Say(r->changed ? Msg::kAttendUpdated : Msg::kAttendAlready);
  if (r->placeholder_added) std::cout << Say(Msg::kAttendPlaceholder);
  std::cout << "\n";
  return kExitOk;
}

int RunAttendFile(const CliContext& ctx, OfficeDb& db, const std::string& session, const std::string& file,
                  bool add_unknown) {
  auto table = ReadCsvFile(file);
  if (!table.ok()) return ctx.Fail(table.status());
  auto rep = ImportAttendance(db, session, *table, file, add_unknown);
  if (!rep.ok()) return ctx.Fail(rep.status());
  return ReportImport(*rep, file, Msg::kImportAttendance, Msg::kAttendImportRefused);
}

void AddAttend(CLI::App& app, CliContext& ctx) {
  static AttendInput in;
  static std::string file, at, note, name;
  static int64_t minutes_late = 0;
  auto* cmd = app.add_subcommand("attend", Help(Msg::kHelpAttend));
  cmd->add_option("--session", in.session_id, Help(Msg::kHelpSessionId))->required();
  auto* nip = cmd->add_option("--nip", in.nip, Help(Msg::kHelpParticipantNip));
  auto* f = cmd->add_option("--file", file, Help(Msg::kHelpAttendFile));
  nip->excludes(f);
  cmd->add_option("--status", in.status,
                  Help(Msg::kHelpAttendStatus));
  cmd->add_option("--at", at, Help(Msg::kHelpAt));
  cmd->add_option("--minutes-late", minutes_late, Help(Msg::kHelpMinutesLate));
  cmd->add_option("--note", note, Help(Msg::kHelpNote));
  cmd->add_flag("--add-unknown", in.add_unknown, Help(Msg::kHelpAddUnknown));
  cmd->add_option("--name", name, Help(Msg::kHelpPlaceholderName));
  cmd->callback([&ctx, cmd] {
    if (!cmd->count("--nip") && !cmd->count("--file")) {
      ctx.exit_code = ctx.Fail(Status::Invalid(Say(Msg::kAttendNeedsNipOrFile, {})));
      return;
    }
    auto db = ctx.Open();
    if (!db.ok()) {
      ctx.exit_code = ctx.Fail(db.status());
      return;
    }
    if (cmd->count("--file")) {
      ctx.exit_code = RunAttendFile(ctx, **db, in.session_id, file, in.add_unknown);
      return;
    }
    if (!at.empty()) in.at = at;
    if (cmd->count("--minutes-late")) in.minutes_late = minutes_late;
    if (!note.empty()) in.note = note;
    if (!name.empty()) in.unknown_name = name;
    ctx.exit_code = RunAttendOne(ctx, **db, in);
  });
}

void AddEvaluate(CLI::App& app, CliContext& ctx) {
  static EvaluateInput in;
  static std::string aspects, date;
  static std::string file;
  auto* cmd = app.add_subcommand("evaluate", Help(Msg::kHelpEvaluate));
  cmd->add_option("--training", in.training_id, Help(Msg::kHelpTrainingId))->required();
  auto* nip = cmd->add_option("--nip", in.nip, Help(Msg::kHelpNip));
  auto* kind = cmd->add_option("--kind", in.kind, "pre_test | post_test | reaction | behaviour | result");
  auto* score = cmd->add_option("--score", in.score, Help(Msg::kHelpScore));
  cmd->add_option("--aspects", aspects, Help(Msg::kHelpAspects));
  cmd->add_option("--date", date, Help(Msg::kHelpAssessedOn));
  auto* f = cmd->add_option("--file", file, Help(Msg::kHelpEvaluateFile));
  for (auto* one : {nip, kind, score}) one->excludes(f);
  cmd->callback([&ctx, cmd] {
    const bool one = cmd->count("--nip") && cmd->count("--kind") && cmd->count("--score");
    if (!one && !cmd->count("--file")) {
      ctx.exit_code = ctx.Fail(Status::Invalid(std::string(Say(Msg::kEvaluateNeedsInput))));
      return;
    }
    auto db = ctx.Open();
    if (!db.ok()) {
      ctx.exit_code = ctx.Fail(db.status());
      return;
    }
    if (cmd->count("--file")) {  // the facilitator's sheet (docs/DESK.md, "Scores")
      auto table = ReadCsvFile(file);
      if (!table.ok()) return void(ctx.exit_code = ctx.Fail(table.status()));
      auto rep = ImportEvaluations(**db, in.training_id, *table, file);
      if (!rep.ok()) return void(ctx.exit_code = ctx.Fail(rep.status()));
      ctx.exit_code = ReportImport(*rep, file, Msg::kImportScores, Msg::kImportRefused);
      return;
    }
    if (!aspects.empty()) in.aspects = aspects;
    if (!date.empty()) in.assessed_on = date;
    auto id = (*db)->Evaluate(in);
    if (!id.ok()) {
      ctx.exit_code = ctx.Fail(id.status());
      return;
    }
    std::cout << *id << "\n";
  });
}

void AddSurvey(CLI::App& app, CliContext& ctx) {
  auto* survey = app.add_subcommand("survey", Help(Msg::kHelpSurvey))->require_subcommand(1);
  static SurveyInput in;
  static std::string gender, age, education, occupation, service, date;
  auto* cmd = survey->add_subcommand("add", Help(Msg::kHelpSurveyAdd));
  cmd->add_option("--period", in.period, Help(Msg::kHelpPeriod))->required();
  cmd->add_option("--scores", in.scores, Help(Msg::kHelpScores))->required();
  cmd->add_option("--gender", gender, "L | P");
  cmd->add_option("--age", age, "<20 | 20-29 | 30-39 | 40-49 | 50-59 | >=60");
  cmd->add_option("--education", education, "SD | SMP | SMA | D1-D3 | D4-S1 | S2 | S3");
  cmd->add_option("--occupation", occupation, Help(Msg::kHelpOccupation));
  cmd->add_option("--service", service, Help(Msg::kHelpService));
  cmd->add_option("--date", date, Help(Msg::kHelpRespondedOn));
  cmd->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) {
      ctx.exit_code = ctx.Fail(db.status());
      return;
    }
    auto opt = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional<std::string>(s); };
    in.gender = opt(gender);
    in.age_band = opt(age);
    in.education = opt(education);
    in.occupation = opt(occupation);
    in.service = opt(service);
    in.responded_on = opt(date);
    auto id = (*db)->AddSurvey(in);
    if (!id.ok()) {
      ctx.exit_code = ctx.Fail(id.status());
      return;
    }
    std::cout << *id << "\n";
  });
}

}  // namespace

void AddEventCommands(CLI::App& app, CliContext& ctx) {
  AddAttend(app, ctx);
  AddEvaluate(app, ctx);
  AddSurvey(app, ctx);
}

}  // namespace latih::client::cli
