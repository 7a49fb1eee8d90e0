// latih skp add | import | list: SKP performance assessments (docs/SKP.md).
#include "client/cli/cli_context.h"
#include "client/lib/importers.h"

namespace latih::client::cli {
namespace {

int RunSkpAdd(const CliContext& ctx, OfficeDb& db, const SkpInput& in) {
  auto out = db.RecordSkp(in);
  if (!out.ok()) return ctx.Fail(out.status());
  std::cout << Say(Msg::kSkpRecorded,
                   {std::to_string(in.year), out->period, out->name, out->nip,
                    domain::SkpRatingLabel(out->hasil_kerja), domain::SkpRatingLabel(out->perilaku_kerja),
                    domain::SkpPredicateLabel(out->predicate)});
  if (!out->put.created) std::cout << Say(out->put.changed.empty() ? Msg::kAttendAlready : Msg::kAttendUpdated);
  std::cout << "\n";
  return kExitOk;
}

void AddSkpAdd(CLI::App& skp, CliContext& ctx) {
  static SkpInput in;
  static std::string assessed_on, assessor_nip, assessor_name;
  auto* add = skp.add_subcommand("add", Help(Msg::kHelpSkpAdd));
  add->add_option("--nip", in.nip, Help(Msg::kHelpNip))->required();
  add->add_option("--year", in.year, Help(Msg::kHelpSkpYear))->required();
  add->add_option("--period", in.period, Help(Msg::kHelpSkpPeriod));
  add->add_option("--hasil", in.hasil_kerja, Help(Msg::kHelpSkpHasil))->required();
  add->add_option("--perilaku", in.perilaku_kerja, Help(Msg::kHelpSkpPerilaku))->required();
  add->add_option("--assessed-on", assessed_on, Help(Msg::kHelpSkpAssessedOn));
  add->add_option("--assessor-nip", assessor_nip, Help(Msg::kHelpSkpAssessorNip));
  add->add_option("--assessor-name", assessor_name, Help(Msg::kHelpSkpAssessorName));
  add->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    if (!assessed_on.empty()) in.assessed_on = assessed_on;
    if (!assessor_nip.empty()) in.assessor_nip = assessor_nip;
    if (!assessor_name.empty()) in.assessor_name = assessor_name;
    ctx.exit_code = RunSkpAdd(ctx, **db, in);
  });
}

}  // namespace

void AddSkpCommand(CLI::App& app, CliContext& ctx) {
  auto* skp = app.add_subcommand("skp", Help(Msg::kHelpSkp))->require_subcommand(1);
  AddSkpAdd(*skp, ctx);

  static std::string file;
  auto* imp = skp->add_subcommand("import", Help(Msg::kHelpSkpImport));
  imp->add_option("file", file, Help(Msg::kHelpSkpFile))->required();
  imp->callback([&ctx] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    auto table = ReadCsvFile(file);
    if (!table.ok()) return void(ctx.exit_code = ctx.Fail(table.status()));
    auto rep = ImportSkp(**db, *table, file);
    if (!rep.ok()) return void(ctx.exit_code = ctx.Fail(rep.status()));
    ctx.exit_code = ReportImport(*rep, file, Msg::kImportSkp, Msg::kImportRefused);
  });

  static int year = 0;
  auto* list = skp->add_subcommand("list", Help(Msg::kHelpSkpList));
  list->add_option("--year", year, Help(Msg::kHelpSkpYearFilter))->check(CLI::Range(2022, 2099));
  AddFormatFlags(*list, ctx);
  list->callback([&ctx, list] {
    auto db = ctx.Open();
    if (!db.ok()) return void(ctx.exit_code = ctx.Fail(db.status()));
    const std::optional<int> only = list->count("--year") ? std::optional<int>(year) : std::nullopt;
    auto rows = (*db)->ListSkp(only);
    if (!rows.ok()) return void(ctx.exit_code = ctx.Fail(rows.status()));
    Render(SkpTable(*rows, only), ctx.format(), std::cout);
  });
}

}  // namespace latih::client::cli
