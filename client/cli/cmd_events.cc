// latih attend, evaluate, survey.
#include "client/cli/cli_context.h"
#include "client/lib/importers.h"

namespace latih::client::cli {
namespace {

int RunAttendOne(const CliContext& ctx, OfficeDb& db, const AttendInput& in) {
  auto r = db.Attend(in);
  if (!r.ok()) return ctx.Fail(r.status());
  std::cout << r->employee_name << ": " << r->status;
  if (r->minutes_late) std::cout << " (" << *r->minutes_late << " menit)";
  if (!r->created) std::cout << (r->changed ? " [diperbarui]" : " [sudah tercatat]");
  if (r->placeholder_added) std::cout << " [NIP baru, perlu ditinjau]";
  std::cout << "\n";
  return kExitOk;
}

int RunAttendFile(const CliContext& ctx, OfficeDb& db, const std::string& session, const std::string& file,
                  bool add_unknown) {
  auto table = ReadCsvFile(file);
  if (!table.ok()) return ctx.Fail(table.status());
  auto rep = ImportAttendance(db, session, *table, file, add_unknown);
  if (!rep.ok()) return ctx.Fail(rep.status());
  if (!rep->errors.empty()) {
    for (const auto& e : rep->errors) std::cerr << file << " line " << e.line << ": " << e.message << "\n";
    std::cerr << "latih: error: " << rep->errors.size() << " of " << rep->records << " lines of " << file
              << " are invalid; nothing was recorded\n";
    return kExitInvalid;
  }
  std::cout << "Kehadiran: " << rep->records << " baris; " << rep->created << " baru, " << rep->updated
            << " diubah, " << rep->unchanged << " tetap";
  if (rep->placeholders) std::cout << ", " << rep->placeholders << " NIP baru perlu ditinjau";
  std::cout << "\n";
  return kExitOk;
}

void AddAttend(CLI::App& app, CliContext& ctx) {
  static AttendInput in;
  static std::string file, at, note, name;
  static int64_t minutes_late = 0;
  auto* cmd = app.add_subcommand("attend", "Record attendance for a session (one NIP or a CSV file)");
  cmd->add_option("--session", in.session_id, "Session id")->required();
  auto* nip = cmd->add_option("--nip", in.nip, "NIP of the participant");
  auto* f = cmd->add_option("--file", file, "CSV with columns nip[, status, waktu, catatan, nama]");
  nip->excludes(f);
  cmd->add_option("--status", in.status,
                  "hadir | terlambat | pulang_awal | izin | sakit | dinas_luar | cuti | alpa (default hadir)");
  cmd->add_option("--at", at, "Check-in time HH:MM or YYYY-MM-DDTHH:MM (default: now)");
  cmd->add_option("--minutes-late", minutes_late, "Minutes late (default: from --at and the session start)");
  cmd->add_option("--note", note, "Note");
  cmd->add_flag("--add-unknown", in.add_unknown, "Register an unknown NIP as a placeholder flagged for review");
  cmd->add_option("--name", name, "Name for a placeholder created by --add-unknown");
  cmd->callback([&ctx, cmd] {
    if (!cmd->count("--nip") && !cmd->count("--file")) {
      ctx.exit_code = ctx.Fail(Status::Invalid("give --nip N or --file FILE.csv"));
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
  auto* cmd = app.add_subcommand("evaluate", "Record a pre/post test, reaction, behaviour or result score");
  cmd->add_option("--training", in.training_id, "Training id")->required();
  cmd->add_option("--nip", in.nip, "NIP")->required();
  cmd->add_option("--kind", in.kind, "pre_test | post_test | reaction | behaviour | result")->required();
  cmd->add_option("--score", in.score, "Score 0..100")->required();
  cmd->add_option("--aspects", aspects, "Reaction aspect scores 0..100: materi=85,fasilitator=90");
  cmd->add_option("--date", date, "Assessment date YYYY-MM-DD");
  cmd->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) {
      ctx.exit_code = ctx.Fail(db.status());
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
  auto* survey = app.add_subcommand("survey", "Survei Kepuasan Masyarakat (SKM)")->require_subcommand(1);
  static SurveyInput in;
  static std::string gender, age, education, occupation, service, date;
  auto* cmd = survey->add_subcommand("add", "Record one SKM response (nine unsur scores 1..4)");
  cmd->add_option("--period", in.period, "Period: 2026, 2026-S1, 2026-Q3 or 2026-07")->required();
  cmd->add_option("--scores", in.scores, "U1..U9 scores 1..4, e.g. 4,3,4,4,3,4,4,3,4")->required();
  cmd->add_option("--gender", gender, "L | P");
  cmd->add_option("--age", age, "<20 | 20-29 | 30-39 | 40-49 | 50-59 | >=60");
  cmd->add_option("--education", education, "SD | SMP | SMA | D1-D3 | D4-S1 | S2 | S3");
  cmd->add_option("--occupation", occupation, "Pekerjaan");
  cmd->add_option("--service", service, "Jenis layanan");
  cmd->add_option("--date", date, "Response date YYYY-MM-DD");
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
