#include "sync/sqlite/reports.h"

#include <catch2/catch.hpp>

#include "client/lib/office_db.h"
#include "tests/support/test_support.h"

namespace latih::sync::sqlite {
namespace {

using client::OfficeDb;
using test::TempDir;
using test::TestEnv;

// A PPPK NI: born 1995-05-DD, appointed 2022, 1 contract, female, serial n.
std::string PppkNip(int n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "199505%02d2022212%03d", 1 + n % 28, n);
  return buf;
}

struct Fixture {
  TempDir dir;
  TestEnv t;
  std::unique_ptr<OfficeDb> db = test::MakeOffice(dir.File("r.db"), t.env);

  void Employee(const std::string& nip, const std::string& name) {
    REQUIRE_OK(db->AddEmployee({nip, name, {}, {}, {}, {}}).status());
  }
  std::string Training(const std::string& title, double jp, const std::string& start,
                       const std::string& end, const std::string& competency = "teknis") {
    client::TrainingInput in{title, "4", competency, start, end, {}, {}, {}, {}, jp, {}};
    auto id = db->AddTraining(in);
    REQUIRE_OK(id.status());
    return *id;
  }
  std::string Session(const std::string& training, const std::string& date, std::optional<double> jp) {
    client::SessionInput in{training, date, std::string("08:00"), {}, {}, jp};
    auto id = db->AddSession(in);
    REQUIRE_OK(id.status());
    return *id;
  }
  void Attend(const std::string& session, const std::string& nip, const std::string& status = "hadir") {
    client::AttendInput in;
    in.session_id = session;
    in.nip = nip;
    in.status = status;
    REQUIRE_OK(db->Attend(in).status());
  }
  const JpRow& Row(const std::vector<JpRow>& rows, const std::string& nip) {
    for (const auto& r : rows) if (r.nip == nip) return r;
    FAIL("no row for " << nip);
    return rows.front();
  }
};

TEST_CASE("JP credits attended sessions only, shares unset session JP, caps per training", "[sync][reports]") {
  Fixture f;
  const std::string ani = test::TestNip(1), budi = test::TestNip(2), citra = test::TestNip(3);
  const std::string dewi = PppkNip(4), eko = test::TestNip(5);
  f.Employee(ani, "Ani");
  f.Employee(budi, "Budi");
  f.Employee(citra, "Citra");
  f.Employee(dewi, "Dewi");
  f.Employee(eko, "Eko");
  // A: 16 JP, one session of 10 JP and one without (credits the rest: 6).
  const std::string a = f.Training("A", 16, "2026-03-02", "2026-03-03");
  const std::string a1 = f.Session(a, "2026-03-02", 10.0), a2 = f.Session(a, "2026-03-03", std::nullopt);
  // B: 12 JP over three sessions without JP (4 each), manajerial.
  const std::string b = f.Training("B", 12, "2026-05-04", "2026-05-06", "manajerial");
  const std::string b1 = f.Session(b, "2026-05-04", std::nullopt), b2 = f.Session(b, "2026-05-05", std::nullopt),
                    b3 = f.Session(b, "2026-05-06", std::nullopt);
  // C: 8 JP but sessions claim 6 + 6: the credit is capped at 8.
  const std::string c = f.Training("C", 8, "2026-07-01", "2026-07-02");
  const std::string c1 = f.Session(c, "2026-07-01", 6.0), c2 = f.Session(c, "2026-07-02", 6.0);
  // D: in 2025, never counts for 2026.
  const std::string d = f.Training("D", 40, "2025-12-01", "2025-12-01");
  const std::string d1 = f.Session(d, "2025-12-01", std::nullopt);

  for (const auto& s : {a1, a2, b1, b2, b3}) f.Attend(s, ani);  // 16 + 12 = 28
  f.Attend(a1, budi, "terlambat");                            // 10
  f.Attend(a2, budi, "izin");                                 // izin credits nothing
  f.Attend(b1, budi, "pulang_awal");                          // 4
  f.Attend(b2, budi, "sakit");
  f.Attend(b3, budi, "alpa");
  f.Attend(c1, citra);
  f.Attend(c2, citra);                                         // capped: 8
  f.Attend(d1, citra);                                         // 2025
  for (const auto& s : {a1, a2, b1, b2, b3, c1, c2}) f.Attend(s, dewi);  // 16 + 12 + 8 = 36
  // Eko attends nothing.

  auto rows = JpReport(f.db->store(), 2026, std::nullopt, f.db->policy());
  REQUIRE_OK(rows.status());
  REQUIRE(rows->size() == 5);
  CHECK(f.Row(*rows, ani).jp == Approx(28));
  CHECK(f.Row(*rows, ani).jp_teknis == Approx(16));
  CHECK(f.Row(*rows, ani).jp_manajerial == Approx(12));
  CHECK(f.Row(*rows, ani).sessions == 5);
  CHECK(f.Row(*rows, ani).trainings == 2);
  CHECK(f.Row(*rows, ani).standing == domain::JpStanding::kMeetsMinimum);
  CHECK(f.Row(*rows, budi).jp == Approx(14));
  CHECK(f.Row(*rows, budi).standing == domain::JpStanding::kBelowMinimum);
  CHECK(f.Row(*rows, citra).jp == Approx(8));
  CHECK(f.Row(*rows, dewi).jp == Approx(36));
  CHECK(f.Row(*rows, dewi).type == domain::EmploymentType::kPppk);
  CHECK(f.Row(*rows, dewi).standing == domain::JpStanding::kAboveCap);
  CHECK(f.Row(*rows, eko).jp == 0);
  CHECK(f.Row(*rows, eko).standing == domain::JpStanding::kBelowMinimum);

  auto y2025 = JpReport(f.db->store(), 2025, std::nullopt, f.db->policy());
  CHECK(f.Row(*y2025, citra).jp == Approx(40));
  // Inactive employees leave the report.
  REQUIRE_OK(f.db->UpdateEmployee({eko, {}, {}, {}, {}, false}).status());
  CHECK(JpReport(f.db->store(), 2026, std::nullopt, f.db->policy())->size() == 4);
}

TEST_CASE("a PNS at exactly 20 JP meets the minimum and a PPPK at exactly 24 stays within the cap",
          "[sync][reports]") {
  Fixture f;
  const std::string pns = test::TestNip(10), pppk = PppkNip(11);
  f.Employee(pns, "Pns");
  f.Employee(pppk, "Pppk");
  const std::string t = f.Training("T", 24, "2026-02-02", "2026-02-03");
  const std::string s1 = f.Session(t, "2026-02-02", 20.0), s2 = f.Session(t, "2026-02-03", 4.0);
  f.Attend(s1, pns);
  f.Attend(s1, pppk);
  f.Attend(s2, pppk);
  auto rows = JpReport(f.db->store(), 2026, std::nullopt, f.db->policy());
  CHECK(f.Row(*rows, pns).standing == domain::JpStanding::kMeetsMinimum);
  CHECK(f.Row(*rows, pppk).jp == Approx(24));
  CHECK(f.Row(*rows, pppk).standing == domain::JpStanding::kWithinCap);
}

TEST_CASE("attendance rates count every participant of the training in every session", "[sync][reports]") {
  Fixture f;
  for (int i = 1; i <= 4; ++i) f.Employee(test::TestNip(i), "P" + std::to_string(i));
  const std::string t = f.Training("W", 8, "2026-04-06", "2026-04-07");
  const std::string s1 = f.Session(t, "2026-04-06", std::nullopt), s2 = f.Session(t, "2026-04-07", std::nullopt);
  f.Attend(s1, test::TestNip(1));
  f.Attend(s1, test::TestNip(2), "terlambat");
  f.Attend(s1, test::TestNip(3), "izin");
  f.Attend(s2, test::TestNip(1));
  f.Attend(s2, test::TestNip(4), "pulang_awal");
  auto rep = AttendanceReport(f.db->store(), t);
  REQUIRE_OK(rep.status());
  CHECK(rep->participants == 4);
  REQUIRE(rep->by_session.size() == 2);
  CHECK(rep->by_session[0].attended == 2);
  CHECK(rep->by_session[0].izin == 1);
  CHECK(rep->by_session[0].rate == Approx(0.5));
  CHECK(rep->by_session[1].attended == 2);
  CHECK(rep->by_session[1].pulang_awal == 1);
  CHECK(rep->by_session[0].jp_credit == Approx(4));
  CHECK(rep->rate == Approx(4.0 / 8.0));
  CHECK(AttendanceReport(f.db->store(), "nope").status().code() == StatusCode::kNotFound);
}

TEST_CASE("pre/post means, gain and normalized gain use paired participants", "[sync][reports]") {
  Fixture f;
  for (int i = 1; i <= 3; ++i) f.Employee(test::TestNip(i), "P" + std::to_string(i));
  const std::string t = f.Training("E", 8, "2026-04-06", "2026-04-06");
  auto eval = [&](int who, const std::string& kind, double score, std::optional<std::string> aspects = {}) {
    client::EvaluateInput in{t, test::TestNip(who), kind, score, aspects, {}};
    REQUIRE_OK(f.db->Evaluate(in).status());
  };
  eval(1, "pre_test", 40);
  eval(1, "post_test", 70);
  eval(2, "pre_test", 60);
  eval(2, "post_test", 90);
  eval(3, "pre_test", 50);  // no post-test: counted in the pre mean, not in the pairs
  eval(1, "reaction", 80, "materi=80,fasilitator=90");
  eval(2, "reaction", 90, "materi=70,fasilitator=100");
  auto r = EvaluationReport(f.db->store(), t);
  REQUIRE_OK(r.status());
  CHECK(r->n_pre == 3);
  CHECK(*r->mean_pre == Approx(50));
  CHECK(r->n_post == 2);
  CHECK(*r->mean_post == Approx(80));
  CHECK(r->n_paired == 2);
  CHECK(*r->paired_pre == Approx(50));
  CHECK(*r->gain == Approx(30));
  CHECK(*r->normalized_gain == Approx(0.6));  // 30 / (100 - 50)
  CHECK(*r->mean_reaction == Approx(85));
  REQUIRE(r->reaction_aspects.size() == 2);
  CHECK(r->reaction_aspects[0].aspect == "fasilitator");
  CHECK(r->reaction_aspects[0].mean == Approx(95));
  CHECK(r->reaction_aspects[1].mean == Approx(75));
  // Re-recording a score replaces it (one evaluation per training, person, kind).
  eval(3, "pre_test", 20);
  CHECK(*EvaluationReport(f.db->store(), t)->mean_pre == Approx(40));
}

TEST_CASE("the IKM of an office and period follows the worked example", "[sync][reports]") {
  Fixture f;
  // Four respondents. Sums per unsur: U1 15, U2 14, U3 12, U4 16, U5 13,
  // U6 15, U7 16, U8 11, U9 14 = 126 in all. IKM = 25 * 126 / (9 * 4)
  // = 87.5 exactly -> 87.50, category B (Baik). Legacy weight 0.111:
  // 25 * 0.111 * 126 / 4 = 87.4125 -> 87.41.
  const char* responses[] = {"4,4,3,4,3,4,4,3,4", "4,3,3,4,4,4,4,2,3", "3,3,3,4,3,3,4,3,3",
                             "4,4,3,4,3,4,4,3,4"};
  for (const char* r : responses) {
    client::SurveyInput in;
    in.period = "2026-S1";
    in.scores = r;
    REQUIRE_OK(f.db->AddSurvey(in).status());
  }
  client::SurveyInput other;
  other.period = "2026-S2";
  other.scores = "1,1,1,1,1,1,1,1,1";
  REQUIRE_OK(f.db->AddSurvey(other).status());
  auto rows = IkmReport(f.db->store(), "2026-S1", std::nullopt);
  REQUIRE_OK(rows.status());
  REQUIRE(rows->size() == 1);
  const auto& ikm = (*rows)[0].ikm;
  CHECK(ikm.respondents == 4);
  CHECK(ikm.nrr[0] == Approx(3.75));
  CHECK(ikm.nrr[7] == Approx(2.75));
  CHECK(ikm.ikm_centi == 8750);
  CHECK(ikm.category == 'B');
  CHECK(ikm.ikm_legacy_0111 == Approx(87.41));
  CHECK((*rows)[0].office_name == "Ampenan Selatan");
  CHECK(IkmReport(f.db->store(), "2027", std::nullopt)->empty());
}

}  // namespace
}  // namespace latih::sync::sqlite
