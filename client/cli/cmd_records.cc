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

void AddEmployeeCommands(CLI::App& app, CliContext& ctx) {
  auto* emp = app.add_subcommand("employee", Help(Msg::kHelpEmployee))->require_subcommand(1);
  static EmployeeInput in;
  static std::string name, position, rank, type, active, email;
  auto* add = emp->add_subcommand("add", Help(Msg::kHelpEmployeeAdd));
  add->add_option("--nip", in.nip, Help(Msg::kHelpNipOrNiPppk))->required();
  add->add_option("--name", name, Help(Msg::kHelpFullName))->required();
  add->add_option("--position", position, Help(Msg::kHelpPosition));
  add->add_option("--rank", rank, Help(Msg::kHelpRankExample));
  add->add_option("--type", type, Help(Msg::kHelpType));
  add->add_option("--email", email, Help(Msg::kHelpEmail));
  add->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    in.name = name;
    if (!email.empty()) in.email = email;
    if (!position.empty()) in.position = position;
    if (!rank.empty()) in.rank = rank;
    if (!type.empty()) in.type = type;
    auto r = db.AddEmployee(in);
    if (!r.ok()) return ctx.Fail(r.status());
    std::cout << Say(Msg::kEmployeeAdded, {r->nip, r->name, r->type}) << "\n";
    return int{kExitOk};
  }));

  auto* upd = emp->add_subcommand("update", Help(Msg::kHelpEmployeeUpdate));
  upd->add_option("--nip", in.nip, Help(Msg::kHelpNip))->required();
  upd->add_option("--name", name, Help(Msg::kHelpFullName));
  upd->add_option("--position", position, Help(Msg::kHelpPosition));
  upd->add_option("--rank", rank, Help(Msg::kHelpRank));
  upd->add_option("--active", active, Help(Msg::kHelpActive));
  upd->add_option("--email", email, Help(Msg::kHelpEmail));
  upd->callback(WithDb(ctx, [&ctx, upd](OfficeDb& db) {
    if (!name.empty()) in.name = name;
    if (upd->count("--email")) in.email = email;  // "" removes it
    if (upd->count("--position")) in.position = position;
    if (upd->count("--rank")) in.rank = rank;
    if (!active.empty()) {
      if (active == "yes" || active == "ya" || active == "1") in.active = true;
      else if (active == "no" || active == "tidak" || active == "0") in.active = false;
      else return ctx.Fail(Status::Invalid(Say(Msg::kActiveNotYesNo, {active})));
    }
    auto r = db.UpdateEmployee(in);
    if (!r.ok()) return ctx.Fail(r.status());
    std::cout << Say(Msg::kEmployeeUpdated, {r->nip, r->name}) << "\n";
    return int{kExitOk};
  }));

  static std::string file;
  auto* imp = emp->add_subcommand("import", Help(Msg::kHelpEmployeeImport));
  imp->add_option("file", file, Help(Msg::kHelpRosterFile))->required();
  imp->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    auto table = ReadCsvFile(file);
    if (!table.ok()) return ctx.Fail(table.status());
    auto rep = ImportRoster(db, *table, file);
    if (!rep.ok()) return ctx.Fail(rep.status());
    return ReportImport(*rep, file, Msg::kImportRoster, Msg::kImportRefused);
  }));

  static bool all = false;
  auto* list = emp->add_subcommand("list", Help(Msg::kHelpEmployeeList));
  list->add_flag("--all", all, Help(Msg::kHelpInactive));
  AddFormatFlags(*list, ctx);
  list->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    auto rows = db.ListEmployees(all);
    if (!rows.ok()) return ctx.Fail(rows.status());
    Render(EmployeesTable(*rows), ctx.format(), std::cout);
    return int{kExitOk};
  }));
}

// An amount given as text (--cost-planned, --planned...) into `out`;
// nothing when it is empty.
Status ParseAmountOption(const std::string& text, Msg field, std::optional<int64_t>& out) {
  if (text.empty()) return Status::Ok();
  LATIH_ASSIGN_OR_RETURN(out, ParseRupiah(text, Say(field)));
  return Status::Ok();
}

// "Rp 5.000.000" for text output, "-" for none.
std::string Rupiah(const std::optional<int64_t>& amount) {
  if (!amount) return "-";
  std::string digits = std::to_string(*amount), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += '.';
    out += digits[i];
  }
  return "Rp " + out;
}

void AddTrainingCost(CLI::App& tr, CliContext& ctx) {
  static TrainingCostInput in;
  static std::string planned, actual, funding;
  auto* cost = tr.add_subcommand("cost", Help(Msg::kHelpTrainingCost));
  cost->add_option("id", in.training_id, Help(Msg::kHelpTrainingId))->required();
  cost->add_option("--planned", planned, Help(Msg::kHelpCostPlannedShort));
  cost->add_option("--actual", actual, Help(Msg::kHelpCostActualShort));
  cost->add_option("--funding", funding, Help(Msg::kHelpFunding));
  cost->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    for (const Status& st : {ParseAmountOption(planned, Msg::kFieldCostPlanned, in.planned),
                             ParseAmountOption(actual, Msg::kFieldCostActual, in.actual)}) {
      if (!st.ok()) return ctx.Fail(st);
    }
    if (!funding.empty()) in.funding = funding;
    auto r = db.SetTrainingCost(in);
    if (!r.ok()) return ctx.Fail(r.status());
    std::cout << Say(Msg::kTrainingCostSet, {r->title, Rupiah(r->planned), Rupiah(r->actual),
                                             r->funding.empty() ? "-" : r->funding});
    if (!r->changed) std::cout << Say(Msg::kAttendAlready);
    std::cout << "\n";
    return int{kExitOk};
  }));
}

void AddTrainingCommands(CLI::App& app, CliContext& ctx) {
  auto* tr = app.add_subcommand("training", Help(Msg::kHelpTraining))->require_subcommand(1);
  static TrainingInput in;
  static std::string route, organizer, certificate, scope, cost_planned, cost_actual, funding;
  static double jp = 0;
  static int64_t minutes = 0;
  auto* add = tr->add_subcommand("add", Help(Msg::kHelpTrainingAdd));
  add->add_option("--title", in.title, Help(Msg::kHelpTitle))->required();
  add->add_option("--form", in.form, Help(Msg::kHelpForm))->required();
  add->add_option("--competency", in.competency, "teknis | manajerial | sosial_kultural")->required();
  add->add_option("--jp", jp, Help(Msg::kHelpJp));
  add->add_option("--minutes", minutes, Help(Msg::kHelpMinutes));
  add->add_option("--start", in.start_date, Help(Msg::kHelpStartDate))->required();
  add->add_option("--end", in.end_date, Help(Msg::kHelpEndDate))->required();
  add->add_option("--organizer", organizer, Help(Msg::kHelpOrganizer));
  add->add_option("--route", route, Help(Msg::kHelpRoute));
  add->add_option("--certificate", certificate, Help(Msg::kHelpCertificate));
  add->add_option("--scope", scope, "nasional | internasional");
  add->add_flag("--global", in.global, Help(Msg::kHelpGlobal));
  add->add_option("--cost-planned", cost_planned, Help(Msg::kHelpCostPlanned));
  add->add_option("--cost-actual", cost_actual, Help(Msg::kHelpCostActual));
  add->add_option("--funding", funding, Help(Msg::kHelpFunding));
  add->callback(WithDb(ctx, [&ctx, add](OfficeDb& db) {
    for (const Status& st : {ParseAmountOption(cost_planned, Msg::kFieldCostPlanned, in.cost_planned),
                             ParseAmountOption(cost_actual, Msg::kFieldCostActual, in.cost_actual)}) {
      if (!st.ok()) return ctx.Fail(st);
    }
    if (!funding.empty()) in.funding = funding;
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
  auto* list = tr->add_subcommand("list", Help(Msg::kHelpTrainingList));
  AddFormatFlags(*list, ctx);
  list->callback(WithDb(ctx, [&ctx](OfficeDb& db) {
    const std::string_view order[] = {"start_date", "title"};
    auto rows = db.store().Select("training", std::nullopt, order);
    if (!rows.ok()) return ctx.Fail(rows.status());
    Render(RowsTable(db.store(), "training", *rows,
                     {"id", "title", "form", "route", "competency", "jp", "start_date", "end_date", "organizer",
                      "cost_planned", "cost_actual", "funding_source"}),
           ctx.format(), std::cout);
    return int{kExitOk};
  }));
  AddTrainingCost(*tr, ctx);
}

void AddSessionCommands(CLI::App& app, CliContext& ctx) {
  auto* se = app.add_subcommand("session", Help(Msg::kHelpSession))->require_subcommand(1);
  static SessionInput in;
  static std::string start, end, location;
  static double jp = 0;
  auto* add = se->add_subcommand("add", Help(Msg::kHelpSessionAdd));
  add->add_option("--training", in.training_id, Help(Msg::kHelpTrainingId))->required();
  add->add_option("--date", in.date, Help(Msg::kHelpDate))->required();
  add->add_option("--jp", jp, Help(Msg::kHelpSessionJp));
  add->add_option("--start", start, Help(Msg::kHelpStartTime));
  add->add_option("--end", end, Help(Msg::kHelpEndTime));
  add->add_option("--location", location, Help(Msg::kHelpLocation));
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
  auto* list = se->add_subcommand("list", Help(Msg::kHelpSessionList));
  list->add_option("--training", training, Help(Msg::kHelpTrainingId))->required();
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
  auto* init = app.add_subcommand("init", Help(Msg::kHelpInit));
  init->add_option("--office", office, Help(Msg::kHelpInitOffice))->required();
  init->callback([&ctx] {
    auto db = OfficeDb::Init(ctx.db_path, office, sync::DefaultEnv());
    if (!db.ok()) {
      ctx.exit_code = ctx.Fail(db.status());
      return;
    }
    auto st = (*db)->Status();
    std::cout << Say(Msg::kInitDone, {ctx.db_path, (*db)->office_id()});
    if (st.ok() && !st->office_name.empty()) std::cout << " (" << st->office_name << ")";
    std::cout << "\n";
    if (st.ok() && st->office_name.empty()) {
      // A kelurahan the server added after this release: its row (and its
      // employees) come with the first sync.
      std::cout << Say(Msg::kInitUnlistedOffice) << "\n";
    }
  });
  AddEmployeeCommands(app, ctx);
  AddTrainingCommands(app, ctx);
  AddSessionCommands(app, ctx);

  static std::string table;
  auto* exp = app.add_subcommand("export", Help(Msg::kHelpExport));
  exp->add_option("table", table, Help(Msg::kHelpExportTable))
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
