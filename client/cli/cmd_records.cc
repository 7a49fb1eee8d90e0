// latih init, employee, training, session, export, status.
#include "client/cli/cli_context.h"
#include "client/lib/importers.h"
#include "sync/env.h"

namespace latih::client::cli {
namespace {

// Runs `body` with an open database, storing the exit code in ctx.
template <typename F>
std::function<void()> WithDb(CliContext& ctx, F body) {
  return [&ctx, body] {
    auto db = ctx.Open();
    if (!db.ok()) {
      ctx.exit_code = ctx.Fail(db.status());
      return;
    }
    ctx.exit_code = body(**db);
  };
}

// Prints the bad lines of an import (all of them) and returns the exit code.
int ReportImport(const CliContext& ctx, const ImportReport& rep, const std::string& source, const char* what) {
  if (!rep.errors.empty()) {
    for (const auto& e : rep.errors) std::cerr << source << " line " << e.line << ": " << e.message << "\n";
    std::cerr << "latih: error: " << rep.errors.size() << " of " << rep.records << " lines of " << source
              << " are invalid; nothing was imported\n";
    return kExitInvalid;
  }
  std::cout << what << ": " << rep.records << " baris; " << rep.created << " baru, " << rep.updated
            << " diubah, " << rep.unchanged << " tetap";
  if (rep.placeholders) std::cout << ", " << rep.placeholders << " NIP baru perlu ditinjau";
  std::cout << "\n";
  (void)ctx;
  return kExitOk;
}

void AddEmployeeCommands(CLI::App& app, CliContext& ctx) {
  auto* emp = app.add_subcommand("employee", "Pegawai: add, update, import, list")->require_subcommand(1);
  static EmployeeInput in;
  static std::string name, position, rank, type, active;
  auto* add = emp->add_subcommand("add", "Register an employee (NIP validated)");
  add->add_option("--nip", in.nip, "18-digit NIP or NI PPPK")->required();
  add->add_option("--name", name, "Full name")->required();
  add->add_option("--position", position, "Jabatan");
  add->add_option("--rank", rank, "Golongan, e.g. III/a");
  add->add_option("--type", type, "PNS or PPPK (checked against the NIP)");
  add->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    in.name = name;
    if (!position.empty()) in.position = position;
    if (!rank.empty()) in.rank = rank;
    if (!type.empty()) in.type = type;
    auto r = db.AddEmployee(in);
    if (!r.ok()) return ctx.Fail(r.status());
    std::cout << r->nip << " " << r->name << " (" << r->type << ") terdaftar\n";
    return int{kExitOk};
  }));

  auto* upd = emp->add_subcommand("update", "Change an employee's name, position, rank or active flag");
  upd->add_option("--nip", in.nip, "NIP")->required();
  upd->add_option("--name", name, "Full name");
  upd->add_option("--position", position, "Jabatan");
  upd->add_option("--rank", rank, "Golongan");
  upd->add_option("--active", active, "yes/no (ya/tidak)");
  upd->callback(WithDb(ctx, [&ctx, upd](OfficeDb& db) {
    if (!name.empty()) in.name = name;
    if (upd->count("--position")) in.position = position;
    if (upd->count("--rank")) in.rank = rank;
    if (!active.empty()) {
      if (active == "yes" || active == "ya" || active == "1") in.active = true;
      else if (active == "no" || active == "tidak" || active == "0") in.active = false;
      else return ctx.Fail(Status::Invalid("active '" + active + "' is not yes/no"));
    }
    auto r = db.UpdateEmployee(in);
    if (!r.ok()) return ctx.Fail(r.status());
    std::cout << r->nip << " " << r->name << " diperbarui\n";
    return int{kExitOk};
  }));

  static std::string file;
  auto* imp = emp->add_subcommand("import", "Import a roster CSV (all-or-nothing)");
  imp->add_option("file", file, "CSV with columns nip, nama/name, jabatan, golongan, jenis")->required();
  imp->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    auto table = ReadCsvFile(file);
    if (!table.ok()) return ctx.Fail(table.status());
    auto rep = ImportRoster(db, *table, file);
    if (!rep.ok()) return ctx.Fail(rep.status());
    return ReportImport(ctx, *rep, file, "Impor pegawai");
  }));

  static bool all = false;
  auto* list = emp->add_subcommand("list", "List employees");
  list->add_flag("--all", all, "Include inactive employees");
  AddFormatFlags(*list, ctx);
  list->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    auto rows = db.ListEmployees(all);
    if (!rows.ok()) return ctx.Fail(rows.status());
    Render(EmployeesTable(*rows), ctx.format(), std::cout);
    return int{kExitOk};
  }));
}

void AddTrainingCommands(CLI::App& app, CliContext& ctx) {
  auto* tr = app.add_subcommand("training", "Pelatihan: add, list")->require_subcommand(1);
  static TrainingInput in;
  static std::string route, organizer, certificate, scope;
  static double jp = 0;
  static int64_t minutes = 0;
  auto* add = tr->add_subcommand("add", "Create a training; prints its id");
  add->add_option("--title", in.title, "Title")->required();
  add->add_option("--form", in.form, "SIASN jenisDiklatId 1..25 or its name (4 = Workshop)")->required();
  add->add_option("--competency", in.competency, "teknis | manajerial | sosial_kultural")->required();
  add->add_option("--jp", jp, "Lesson hours (JP)");
  add->add_option("--minutes", minutes, "Duration in minutes (JP derived with minutes per JP)");
  add->add_option("--start", in.start_date, "Start date YYYY-MM-DD")->required();
  add->add_option("--end", in.end_date, "End date YYYY-MM-DD")->required();
  add->add_option("--organizer", organizer, "Penyelenggara");
  add->add_option("--route", route, "klasikal | non_klasikal | pendidikan (default from the form)");
  add->add_option("--certificate", certificate, "Certificate number");
  add->add_option("--scope", scope, "nasional | internasional");
  add->add_flag("--global", in.global, "A central (BKPSDM) training every office sees; the server accepts it only "
                                      "from central HR");
  add->callback(WithDb(ctx, [&ctx, add](OfficeDb& db) {
    if (add->count("--jp")) in.jp = jp;
    if (add->count("--minutes")) in.minutes = minutes;
    if (!route.empty()) in.route = route;
    if (!organizer.empty()) in.organizer = organizer;
    if (!certificate.empty()) in.certificate_no = certificate;
    if (!scope.empty()) in.scope = scope;
    auto id = db.AddTraining(in);
    if (!id.ok()) return ctx.Fail(id.status());
    std::cout << *id << "\n";
    return int{kExitOk};
  }));
  auto* list = tr->add_subcommand("list", "List trainings");
  AddFormatFlags(*list, ctx);
  list->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    const std::string_view order[] = {"start_date", "title"};
    auto rows = db.store().Select("training", std::nullopt, order);
    if (!rows.ok()) return ctx.Fail(rows.status());
    Render(RowsTable(db.store(), "training", *rows,
                     {"id", "title", "form", "route", "competency", "jp", "start_date", "end_date", "organizer"}),
           ctx.format(), std::cout);
    return int{kExitOk};
  }));
}

void AddSessionCommands(CLI::App& app, CliContext& ctx) {
  auto* se = app.add_subcommand("session", "Sesi: add, list")->require_subcommand(1);
  static SessionInput in;
  static std::string start, end, location;
  static double jp = 0;
  auto* add = se->add_subcommand("add", "Add a session to a training; prints its id");
  add->add_option("--training", in.training_id, "Training id")->required();
  add->add_option("--date", in.date, "Date YYYY-MM-DD")->required();
  add->add_option("--jp", jp, "JP credited by this session (default: an equal share)");
  add->add_option("--start", start, "Start time HH:MM (for minutes late)");
  add->add_option("--end", end, "End time HH:MM");
  add->add_option("--location", location, "Location");
  add->callback(WithDb(ctx, [&ctx, add](OfficeDb& db) {
    if (add->count("--jp")) in.jp = jp;
    if (!start.empty()) in.start_time = start;
    if (!end.empty()) in.end_time = end;
    if (!location.empty()) in.location = location;
    auto id = db.AddSession(in);
    if (!id.ok()) return ctx.Fail(id.status());
    std::cout << *id << "\n";
    return int{kExitOk};
  }));
  static std::string training;
  auto* list = se->add_subcommand("list", "List the sessions of a training");
  list->add_option("--training", training, "Training id")->required();
  AddFormatFlags(*list, ctx);
  list->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    const std::string_view order[] = {"date", "start_time"};
    auto rows = db.store().Select("session", sync::ColumnValue{"training_id", training}, order);
    if (!rows.ok()) return ctx.Fail(rows.status());
    Render(RowsTable(db.store(), "session", *rows, {"id", "date", "start_time", "end_time", "jp", "location"}),
           ctx.format(), std::cout);
    return int{kExitOk};
  }));
}

}  // namespace

void AddRecordCommands(CLI::App& app, CliContext& ctx) {
  static std::string office;
  auto* init = app.add_subcommand("init", "Create the database for one office");
  init->add_option("--office", office, "Kemendagri code (52.71.01.1004) or name (Ampenan Selatan)")->required();
  init->callback([&ctx] {
    auto db = OfficeDb::Init(ctx.db_path, office, sync::DefaultEnv());
    if (!db.ok()) {
      ctx.exit_code = ctx.Fail(db.status());
      return;
    }
    auto st = (*db)->Status();
    std::cout << "Database " << ctx.db_path << " siap untuk kantor " << (*db)->office_id();
    if (st.ok() && !st->office_name.empty()) std::cout << " (" << st->office_name << ")";
    std::cout << "\n";
    if (st.ok() && st->office_name.empty()) {
      // A kelurahan the server added after this release: its row (and its
      // employees) come with the first sync.
      std::cout << "Kantor ini belum ada di daftar bawaan: daftarkan perangkat (latih enroll) dan sinkronkan "
                   "(latih sync) sebelum mencatat.\n";
    }
  });
  AddEmployeeCommands(app, ctx);
  AddTrainingCommands(app, ctx);
  AddSessionCommands(app, ctx);

  static std::string table;
  auto* exp = app.add_subcommand("export", "Export a whole table (CSV by default)");
  exp->add_option("table", table, "office, employee, training, session, attendance, evaluation, skm_response")
      ->required();
  AddFormatFlags(*exp, ctx);
  exp->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    auto t = ExportTable(db.store(), table);
    if (!t.ok()) return ctx.Fail(t.status());
    Render(*t, ctx.json ? OutputFormat::kJson : OutputFormat::kCsv, std::cout);
    return int{kExitOk};
  }));

}

}  // namespace latih::client::cli
