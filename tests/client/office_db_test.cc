#include "client/lib/office_db.h"

#include <catch2/catch.hpp>

#include "sync/domain/ids.h"
#include "tests/support/test_support.h"

namespace latih::client {
namespace {

using test::TempDir;
using test::TestEnv;

struct Workshop {
  std::string training, session;
};

Workshop MakeWorkshop(OfficeDb& db) {
  TrainingInput tin{"Bimtek Arsip", "8", "teknis", "2026-03-02", "2026-03-02", {}, {}, {}, {}, 8.0, {}};
  auto t = db.AddTraining(tin);
  REQUIRE_OK(t.status());
  auto s = db.AddSession({*t, "2026-03-02", std::string("08:00"), std::string("16:00"), {}, {}});
  REQUIRE_OK(s.status());
  return {*t, *s};
}

TEST_CASE("two offices recording the same attendance produce the same row id", "[client]") {
  TempDir dir;
  TestEnv t1(1), t2(2);
  auto a = test::MakeOffice(dir.File("a.db"), t1.env);
  auto b = test::MakeOffice(dir.File("b.db"), t2.env);
  const std::string nip = test::TestNip(7);
  REQUIRE_OK(a->AddEmployee({nip, "Ani", {}, {}, {}, {}}).status());
  REQUIRE_OK(b->AddEmployee({nip, "Ani", {}, {}, {}, {}}).status());
  // The session is shared reference data (in the field it arrives by sync);
  // here both databases hold the same session id.
  Workshop w = MakeWorkshop(*a);
  auto row = a->store().Get("session", w.session);
  auto training = a->store().Get("training", w.training);
  for (auto* db : {b.get()}) {
    auto batch = db->store().BeginWrite();
    std::vector<sync::ColumnValue> tcols, scols;
    const auto* tt = db->store().catalog().Find("training");
    for (size_t i = 0; i < tt->columns.size(); ++i) tcols.push_back({tt->columns[i].name, (*training)->values[i]});
    const auto* st = db->store().catalog().Find("session");
    for (size_t i = 0; i < st->columns.size(); ++i) scols.push_back({st->columns[i].name, (*row)->values[i]});
    REQUIRE_OK((*batch)->Put("training", w.training, tcols).status());
    REQUIRE_OK((*batch)->Put("session", w.session, scols).status());
    REQUIRE_OK((*batch)->Commit());
  }
  AttendInput in;
  in.session_id = w.session;
  in.nip = nip;
  auto ra = a->Attend(in);
  auto rb = b->Attend(in);
  REQUIRE_OK(ra.status());
  REQUIRE_OK(rb.status());
  CHECK(ra->attendance_id == rb->attendance_id);
  CHECK(ra->attendance_id == domain::NaturalId("attendance", {w.session, domain::NaturalId("employee", {nip})}));
  CHECK(a->store().node_id() != b->store().node_id());
}

TEST_CASE("recording the same attendance twice keeps one row and the first check-in time", "[client]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  const std::string nip = test::TestNip(8);
  REQUIRE_OK(db->AddEmployee({nip, "Budi", {}, {}, {}, {}}).status());
  Workshop w = MakeWorkshop(*db);
  AttendInput in;
  in.session_id = w.session;
  in.nip = nip;
  in.at = "07:55";
  auto first = db->Attend(in);
  REQUIRE_OK(first.status());
  CHECK(first->created);
  in.at.reset();
  auto again = db->Attend(in);
  REQUIRE_OK(again.status());
  CHECK(!again->created);
  CHECK(!again->changed);
  in.status = "terlambat";
  in.at = "08:20";
  auto late = db->Attend(in);
  REQUIRE_OK(late.status());
  CHECK(late->changed);
  CHECK(*late->minutes_late == 20);
  CHECK(*db->store().CountRows("attendance") == 1);
  auto row = db->store().Get("attendance", late->attendance_id);
  CHECK(Cell(db->store(), **row, "attendance", "checked_in_at") == "2026-03-02T08:20:00");
}

TEST_CASE("an unknown NIP is refused unless it is registered for review", "[client]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  Workshop w = MakeWorkshop(*db);
  AttendInput in;
  in.session_id = w.session;
  in.nip = test::TestNip(9);
  auto refused = db->Attend(in);
  CHECK(refused.status().code() == StatusCode::kNotFound);
  CHECK_THAT(refused.status().message(), Catch::Contains(in.nip) && Catch::Contains("--add-unknown"));
  CHECK(*db->store().CountRows("attendance") == 0);
  in.add_unknown = true;
  in.unknown_name = "Tamu Baru";
  auto added = db->Attend(in);
  REQUIRE_OK(added.status());
  CHECK(added->placeholder_added);
  auto e = db->FindEmployee(in.nip);
  REQUIRE((*e).has_value());
  CHECK((*e)->needs_review);
  CHECK((*e)->name == "Tamu Baru");
  in.session_id = "no-such-session";
  CHECK(db->Attend(in).status().code() == StatusCode::kNotFound);
}

TEST_CASE("bad input is refused with the field and value named", "[client]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  auto bad_nip = db->AddEmployee({"198002302010011005", "X", {}, {}, {}, {}});
  CHECK_THAT(bad_nip.status().message(), Catch::Contains("1980-02-30"));
  auto type = db->AddEmployee({test::TestNip(1), "X", {}, {}, std::string("PPPK"), {}});
  CHECK_THAT(type.status().message(), Catch::Contains("PPPK") && Catch::Contains("PNS"));
  TrainingInput tin{"T", "26", "teknis", "2026-01-01", "2026-01-02", {}, {}, {}, {}, 4.0, {}};
  CHECK_THAT(db->AddTraining(tin).status().message(), Catch::Contains("26"));
  tin.form = "4";
  tin.end_date = "2025-12-31";
  CHECK_THAT(db->AddTraining(tin).status().message(), Catch::Contains("before"));
  tin.end_date = "2026-02-30";
  CHECK_THAT(db->AddTraining(tin).status().message(), Catch::Contains("2026-02-30"));
  SurveyInput s;
  s.period = "2026-S3";
  s.scores = "4,4,4,4,4,4,4,4,4";
  CHECK_THAT(db->AddSurvey(s).status().message(), Catch::Contains("2026-S3"));
  s.period = "2026-S1";
  s.scores = "4,4,5,4,4,4,4,4,4";
  CHECK_THAT(db->AddSurvey(s).status().message(), Catch::Contains("U3") && Catch::Contains("'5'"));
  s.scores = "4,4,4";
  CHECK_THAT(db->AddSurvey(s).status().message(), Catch::Contains("nine"));
  CHECK(*db->store().CountRows("training") == 0);
  CHECK(*db->store().CountRows("skm_response") == 0);
  CHECK(*db->store().CountRows("employee") == 0);
}

TEST_CASE("JP and minutes derive from each other with the minutes-per-JP setting", "[client]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  TrainingInput tin{"T", "Workshop", "manajerial", "2026-01-05", "2026-01-05", {}, {}, {}, {}, 4.0, {}};
  auto id = db->AddTraining(tin);
  REQUIRE_OK(id.status());
  auto row = db->store().Get("training", *id);
  CHECK(Cell(db->store(), **row, "training", "minutes") == "180");
  CHECK(Cell(db->store(), **row, "training", "route") == "klasikal");
  tin.jp.reset();
  tin.minutes = 90;
  tin.form = "16";
  auto id2 = db->AddTraining(tin);
  auto row2 = db->store().Get("training", *id2);
  CHECK(Cell(db->store(), **row2, "training", "jp") == "2");
  CHECK(Cell(db->store(), **row2, "training", "route") == "non_klasikal");
}

TEST_CASE("every write of the library API is in the change log", "[client][changelog]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("a.db"), t.env);
  auto& store = db->store();
  auto step = [&](auto&& op) {
    const auto before = test::Snapshot(store);
    const int64_t seq = test::MaxSeq(store);
    op();
    CHECK(test::RequireEveryChangeLogged(store, before, seq) > 0);
  };
  const std::string nip = test::TestNip(3);
  step([&] { REQUIRE_OK(db->AddEmployee({nip, "Citra", std::string("Lurah"), {}, {}, {}}).status()); });
  step([&] { REQUIRE_OK(db->UpdateEmployee({nip, {}, {}, std::string("III/c"), {}, false}).status()); });
  Workshop w;
  step([&] { w = MakeWorkshop(*db); });
  AttendInput in;
  in.session_id = w.session;
  in.nip = nip;
  step([&] { REQUIRE_OK(db->Attend(in).status()); });
  in.status = "sakit";
  step([&] { REQUIRE_OK(db->Attend(in).status()); });
  in.nip = test::TestNip(4);
  in.add_unknown = true;
  step([&] { REQUIRE_OK(db->Attend(in).status()); });
  step([&] { REQUIRE_OK(db->Evaluate({w.training, nip, "pre", 55, {}, {}}).status()); });
  step([&] { REQUIRE_OK(db->Evaluate({w.training, nip, "reaksi", 80, std::string("materi=80"), {}}).status()); });
  SurveyInput s;
  s.period = "2026";
  s.scores = "4,3,4,4,3,4,4,3,4";
  s.gender = "P";
  s.age_band = "30-39";
  s.education = "S1";
  step([&] { REQUIRE_OK(db->AddSurvey(s).status()); });
  step([&] {
    auto b = store.BeginWrite();
    REQUIRE_OK((*b)->Delete("evaluation", domain::NaturalId("evaluation",
                                                             {w.training, domain::NaturalId("employee", {nip}), "pre_test"})));
    REQUIRE_OK((*b)->Commit());
  });
}

TEST_CASE("a database stays with the office it was created for", "[client]") {
  TempDir dir;
  TestEnv t;
  { auto db = test::MakeOffice(dir.File("a.db"), t.env, "Kebon Sari"); CHECK(db->office_id() == "52.71.01.1010"); }
  CHECK(OfficeDb::Init(dir.File("a.db"), "52.71.01.1010", t.env).ok());
  auto other = OfficeDb::Init(dir.File("a.db"), "Bintaro", t.env);
  CHECK(other.status().code() == StatusCode::kInvalidArgument);
  auto unknown = OfficeDb::Init(dir.File("b.db"), "Atlantis", t.env);
  CHECK(unknown.status().code() == StatusCode::kNotFound);
  CHECK_THAT(unknown.status().message(), Catch::Contains("Pejeruk"));
  CHECK(OfficeDb::Open(dir.File("none.db"), t.env).status().code() == StatusCode::kNotFound);
  // A kelurahan code not in the built-in list (one the server added since):
  // taken as is, its row to come with the first sync; a malformed one is not.
  auto later = OfficeDb::Init(dir.File("c.db"), "52.71.02.1001", t.env);
  REQUIRE_OK(later.status());
  CHECK((*later)->office_id() == "52.71.02.1001");
  for (const char* bad : {"52.71.02.101", "52.71.02.10011", "52-71-02-1001", "52.71.02"}) {
    INFO(bad);
    auto refused = OfficeDb::Init(dir.File("d.db"), bad, t.env);
    CHECK(refused.status().code() == StatusCode::kNotFound);
    CHECK_THAT(refused.status().message(), Catch::Contains("NN.NN.NN.NNNN"));
  }
}

TEST_CASE("an e-mail on the roster is trimmed and lower-cased, and a bad one is refused naming it", "[client][email]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("m.db"), t.env);
  EmployeeInput ani{test::TestNip(1), "Ani", {}, {}, {}, {}, "  Ani.Sari@MataramKota.go.id "};
  auto added = db->AddEmployee(ani);
  REQUIRE_OK(added.status());
  CHECK(added->email == "ani.sari@mataramkota.go.id");
  auto found = db->FindEmployeesByEmail("ANI.SARI@mataramkota.go.id");
  REQUIRE_OK(found.status());
  REQUIRE(found->size() == 1);
  CHECK(found->front().nip == test::TestNip(1));

  for (const char* bad : {"ani", "ani@@x.id", "ani sari@x.id", "ani@x.id, budi@x.id", "@x.id"}) {
    INFO(bad);
    EmployeeInput upd{test::TestNip(1), {}, {}, {}, {}, {}, std::string(bad)};
    auto r = db->UpdateEmployee(upd);
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains(bad));
  }
  EmployeeInput clear{test::TestNip(1), {}, {}, {}, {}, {}, std::string("")};
  CHECK(db->UpdateEmployee(clear)->email.empty());  // "" removes it
  CHECK(db->FindEmployeesByEmail("ani.sari@mataramkota.go.id")->empty());
}

TEST_CASE("rupiah are read as Indonesians write them, whole and not negative", "[client][cost]") {
  const std::vector<std::pair<std::string, int64_t>> good = {
      {"5000000", 5000000}, {"5.000.000", 5000000}, {"Rp 5.000.000", 5000000}, {"Rp5.000.000,-", 5000000},
      {"rp. 750.000", 750000}, {"5.000.000,00", 5000000}, {"0", 0}, {"100.000.000.000", 100000000000}};
  for (const auto& g : good) {
    INFO(g.first);
    auto v = ParseRupiah(g.first, "biaya");
    REQUIRE_OK(v.status());
    CHECK(*v == g.second);
  }
  for (const char* bad : {"", "5,5", "5000000.50", "5.000.000,50", "-5000", "5.5", "5000.000", "lima juta", "Rp",
                          "1.000.000.000.000", "100.000.000.001"}) {
    INFO(bad);
    auto v = ParseRupiah(bad, "biaya rencana");
    CHECK(v.status().code() == StatusCode::kInvalidArgument);
    CHECK_THAT(v.status().message(), Catch::Contains("biaya rencana"));
  }
}

TEST_CASE("a training's cost and funding are set when it is added and changed later", "[client][cost]") {
  TempDir dir;
  TestEnv t;
  auto db = test::MakeOffice(dir.File("c.db"), t.env);
  TrainingInput tin{"Bimtek Arsip", "8", "teknis", "2026-03-02", "2026-03-02", {}, {}, {}, {}, 8.0, {}};
  tin.cost_planned = 5000000;
  tin.funding = "APBD Kota";
  auto id = db->AddTraining(tin);
  REQUIRE_OK(id.status());
  auto cost = db->SetTrainingCost({*id, {}, 4750000, {}});
  REQUIRE_OK(cost.status());
  CHECK(cost->planned == 5000000);
  CHECK(cost->actual == 4750000);
  CHECK(cost->funding == "apbd_kota");
  CHECK(cost->changed);
  CHECK_FALSE(db->SetTrainingCost({*id, {}, 4750000, {}})->changed);
  CHECK(db->SetTrainingCost({*id, {}, {}, std::string("hibah")})->funding == "hibah");

  CHECK(db->SetTrainingCost({*id, {}, {}, {}}).status().code() == StatusCode::kInvalidArgument);
  auto bad_funding = db->SetTrainingCost({*id, {}, {}, std::string("dana desa")});
  CHECK_THAT(bad_funding.status().message(), Catch::Contains("dana desa") && Catch::Contains("apbd_kota"));
  CHECK(db->SetTrainingCost({"nope", 1, {}, {}}).status().code() == StatusCode::kNotFound);
  tin.global = true;  // a central training: BKPSDM's database budgets it (the server refuses an office's)
  auto central = db->AddTraining(tin);
  REQUIRE_OK(central.status());
  REQUIRE_OK(db->SetTrainingCost({*central, 1, {}, {}}).status());
  // Another office's training (pulled as a host's): not this device's to budget.
  auto other = db->store().BeginWrite(/*enforce_references=*/false);
  REQUIRE_OK(other.status());
  const std::string theirs = "01900000-0000-7000-8000-00000000c0c0";
  const std::vector<sync::ColumnValue> cols = {
      {"office_id", std::string("52.71.01.1005")}, {"title", std::string("Bimtek Tengah")}, {"form", int64_t{4}},
      {"route", std::string("klasikal")}, {"competency", std::string("teknis")}, {"jp", 8.0},
      {"minutes", int64_t{360}}, {"start_date", std::string("2026-03-02")}, {"end_date", std::string("2026-03-02")}};
  REQUIRE_OK((*other)->Put("training", theirs, cols).status());
  REQUIRE_OK((*other)->Commit());
  CHECK(db->SetTrainingCost({theirs, 1, {}, {}}).status().code() == StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace latih::client
