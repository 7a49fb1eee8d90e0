// The attendance desk's model (client/lib/desk.h): search as the clerk
// types, check-ins stored before they are shown, second check-ins, walk-ins,
// undo, counts. The screen over it is tested in tmux (desk_screen_test).
#include "client/lib/desk.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>

#include "sync/domain/ids.h"
#include "tests/support/test_support.h"

namespace latih::client {
namespace {

using test::TempDir;
using test::TestEnv;
using test::TestNip;

constexpr int64_t kMinuteMs = 60 * 1000;

// A workshop today (the fake clock's 2026-03-02, UTC) starting at 08:00,
// and the office's people.
struct DeskWorld {
  TempDir dir;
  TestEnv t{1};
  std::unique_ptr<OfficeDb> db;
  std::string training, session;

  DeskWorld() {
    setenv("TZ", "UTC", 1);  // the desk reads the device's local time
    tzset();
    db = test::MakeOffice(dir.File("desk.db"), t.env);
    TrainingInput tin{"Bimtek Arsip", "8", "teknis", "2026-03-02", "2026-03-02", {}, {}, {}, {}, 8.0, {}};
    auto made = db->AddTraining(tin);
    REQUIRE_OK(made.status());
    training = *made;
    auto s = db->AddSession({training, "2026-03-02", std::string("08:00"), std::string("16:00"), {}, {}});
    REQUIRE_OK(s.status());
    session = *s;
    for (auto [n, name] : {std::pair<int, const char*>{1, "Baiq Nurul Aini"}, {2, "Lalu Muhammad Zainul"},
                           {3, "I Gusti Ayu Putu Ségara"}, {4, "Ma'ruf Hidayat"}, {5, "Nurul Hidayah"}}) {
      REQUIRE_OK(db->AddEmployee({TestNip(n), std::string(name), {}, {}, {}, {}}).status());
    }
    t.clock.Advance(8 * 60 * kMinuteMs);  // 08:00
  }

  std::unique_ptr<Desk> Open() {
    auto desk = Desk::Open(*db, session);
    REQUIRE_OK(desk.status());
    return std::move(desk).value();
  }
  int64_t Count(const std::string& sql) {
    auto s = db->store().db().Prepare(sql);
    REQUIRE_OK(s.status());
    REQUIRE_OK((*s)->Step().status());
    const int64_t v = (*s)->ColumnInt(0);
    (*s)->Reset();
    return v;
  }
};

std::vector<std::string> Names(const std::vector<const DeskPerson*>& people) {
  std::vector<std::string> names;
  for (const auto* p : people) names.push_back(p->name);
  return names;
}

}  // namespace

TEST_CASE("names fold for search: case, accents and punctuation ignored, apostrophes dropped", "[client][desk]") {
  CHECK(FoldForSearch("Ma'ruf  AMIN, S.Sos") == "maruf amin s sos");
  CHECK(FoldForSearch("I Gusti Ayu Putu Ségara") == "i gusti ayu putu segara");
  CHECK(FoldForSearch("ÇAĞLAR Öztürk") == "caglar ozturk");
  CHECK(FoldForSearch("  Drs. H. Lalu  ") == "drs h lalu");
  CHECK(FoldForSearch("Ma\xE2\x80\x99ruf") == "maruf");  // ’ as an apostrophe
  CHECK(FoldForSearch("") == "");
}

TEST_CASE("the desk finds people by any part of the name or by NIP digits as typed", "[client][desk]") {
  DeskWorld w;
  auto desk = w.Open();
  CHECK(desk->roster().size() == 5);
  CHECK(Names(desk->Search("nurul", 10)) == std::vector<std::string>{"Baiq Nurul Aini", "Nurul Hidayah"});
  CHECK(Names(desk->Search("HIDAY", 10)) == std::vector<std::string>{"Ma'ruf Hidayat", "Nurul Hidayah"});
  CHECK(Names(desk->Search("segara", 10)) == std::vector<std::string>{"I Gusti Ayu Putu Ségara"});
  CHECK(Names(desk->Search("maruf", 10)) == std::vector<std::string>{"Ma'ruf Hidayat"});
  CHECK(Names(desk->Search("hid nur", 10)) == std::vector<std::string>{"Nurul Hidayah"});  // words in any order
  // Inside a word ranks after the start of one (alphabetical within each).
  CHECK(Names(desk->Search("nu", 10)) ==
        std::vector<std::string>{"Baiq Nurul Aini", "Nurul Hidayah", "Lalu Muhammad Zainul"});
  CHECK(desk->Search("", 10).empty());
  CHECK(desk->Search("  ", 10).empty());
  CHECK(desk->Search("zzz", 10).empty());
  CHECK(desk->Search("nurul", 1).size() == 1);

  const std::string nip = TestNip(3);
  const std::string spaced = nip.substr(0, 8) + " " + nip.substr(8, 6) + " " + nip.substr(14, 1) + " " + nip.substr(15);
  auto exact = desk->Search(spaced, 10);  // a NIP as printed, with its spaces
  REQUIRE_FALSE(exact.empty());
  CHECK(exact.front()->nip == nip);
  CHECK(desk->FindNip(spaced) == exact.front());
  CHECK(desk->FindNip("12345") == nullptr);
  CHECK_FALSE(desk->Search(nip.substr(10, 4), 10).empty());  // digits from the middle
}

TEST_CASE("a check-in is stored before it returns, counted, and a second one writes nothing", "[client][desk]") {
  DeskWorld w;
  auto desk = w.Open();
  CHECK(desk->Counts().not_yet == 5);
  auto in = desk->CheckIn(TestNip(1), "hadir", "qr", false);
  REQUIRE_OK(in.status());
  CHECK(in->kind == DeskCheckIn::Kind::kRecorded);
  CHECK(in->person.status == "hadir");
  CHECK(in->person.checked_in_at == "2026-03-02T08:00:00");
  CHECK(w.Count("SELECT count(*) FROM attendance WHERE status = 'hadir' AND method = 'qr'") == 1);
  auto c = desk->Counts();
  CHECK(c.present == 1);
  CHECK(c.not_yet == 4);
  CHECK(c.total == 5);

  const int64_t logged = w.Count("SELECT count(*) FROM change_log");
  w.t.clock.Advance(5 * kMinuteMs);
  auto again = desk->CheckIn(TestNip(1), "hadir", "qr", false);
  REQUIRE_OK(again.status());
  CHECK(again->kind == DeskCheckIn::Kind::kAlreadyPresent);
  CHECK(again->previous_at == "2026-03-02T08:00:00");
  CHECK(w.Count("SELECT count(*) FROM change_log") == logged);

  // Another status is a change the clerk must confirm.
  auto asked = desk->CheckIn(TestNip(1), "izin", "manual", false);
  REQUIRE_OK(asked.status());
  CHECK(asked->kind == DeskCheckIn::Kind::kAlreadyPresent);
  CHECK(asked->previous_status == "hadir");
  auto changed = desk->CheckIn(TestNip(1), "izin", "manual", true);
  REQUIRE_OK(changed.status());
  CHECK(changed->kind == DeskCheckIn::Kind::kChanged);
  CHECK(desk->Counts().excused == 1);
  CHECK(desk->Counts().present == 0);

  // A new desk on the same database sees what was recorded.
  auto reopened = w.Open();
  CHECK(reopened->FindNip(TestNip(1))->status == "izin");
  CHECK(reopened->Counts().excused == 1);
}

TEST_CASE("a late check-in counts its minutes from the session's start", "[client][desk]") {
  DeskWorld w;
  auto desk = w.Open();
  w.t.clock.Advance(17 * kMinuteMs);  // 08:17
  auto late = desk->CheckIn(TestNip(2), "tl", "manual", false);
  REQUIRE_OK(late.status());
  CHECK(late->person.status == "terlambat");
  REQUIRE(late->person.minutes_late);
  CHECK(*late->person.minutes_late == 17);
  CHECK(desk->Counts().present == 1);  // late still attended
}

TEST_CASE("an unknown NIP is refused until registered as a walk-in, flagged for review", "[client][desk]") {
  DeskWorld w;
  auto desk = w.Open();
  const std::string stranger = TestNip(40);
  auto refused = desk->CheckIn(stranger, "hadir", "qr", false);
  CHECK(refused.status().code() == StatusCode::kNotFound);
  CHECK(w.Count("SELECT count(*) FROM attendance") == 0);
  CHECK(desk->CheckIn("1234", "hadir", "qr", false).status().code() == StatusCode::kInvalidArgument);
  CHECK(desk->CheckInWalkIn(stranger, "  ", "hadir", "qr").status().code() == StatusCode::kInvalidArgument);

  auto walk_in = desk->CheckInWalkIn(stranger, "Siti Rahmawati", "hadir", "qr");
  REQUIRE_OK(walk_in.status());
  CHECK(walk_in->walk_in);
  CHECK(walk_in->person.needs_review);
  CHECK(walk_in->person.name == "Siti Rahmawati");
  CHECK(w.Count("SELECT needs_review FROM employee WHERE nip = '" + stranger + "'") == 1);
  CHECK(desk->Counts().total == 6);
  CHECK(Names(desk->Search("rahma", 10)) == std::vector<std::string>{"Siti Rahmawati"});
  CHECK(w.Open()->roster().size() == 6);  // on the roster from now on: the training's participant
}

TEST_CASE("undo takes back the desk's last check-ins one by one", "[client][desk]") {
  DeskWorld w;
  auto desk = w.Open();
  CHECK_FALSE(desk->CanUndo());
  REQUIRE_OK(desk->CheckIn(TestNip(1), "hadir", "qr", false).status());
  REQUIRE_OK(desk->CheckIn(TestNip(2), "hadir", "qr", false).status());
  w.t.clock.Advance(30 * kMinuteMs);
  REQUIRE_OK(desk->CheckIn(TestNip(2), "sakit", "manual", true).status());  // changed

  auto first = desk->Undo();  // the change: back to hadir at 08:00
  REQUIRE_OK(first.status());
  REQUIRE(*first);
  CHECK((*first)->nip == TestNip(2));
  CHECK((*first)->status == "hadir");
  CHECK((*first)->checked_in_at == "2026-03-02T08:00:00");
  auto second = desk->Undo();  // the new record: gone
  REQUIRE_OK(second.status());
  REQUIRE(*second);
  CHECK((*second)->status.empty());
  CHECK(w.Count("SELECT count(*) FROM attendance") == 1);
  CHECK(w.Count("SELECT count(*) FROM deleted_row") == 1);  // a tombstone: the undo syncs too
  CHECK(desk->Counts().present == 1);
  REQUIRE_OK(desk->Undo().status());
  CHECK(w.Count("SELECT count(*) FROM attendance") == 0);
  auto nothing = desk->Undo();
  REQUIRE_OK(nothing.status());
  CHECK_FALSE(*nothing);
  CHECK(desk->Counts().not_yet == 5);
}

TEST_CASE("the desk records pre/post test and reaction scores, committed, and undoes them", "[client][desk][scores]") {
  DeskWorld w;
  auto desk = w.Open();
  auto post = desk->RecordScore(TestNip(1), ScoreKind::kPostTest, "85,5");  // a decimal comma
  REQUIRE_OK(post.status());
  CHECK(post->scores.post_test == 85.5);
  CHECK(w.Count("SELECT count(*) FROM evaluation WHERE kind = 'post_test' AND score = 85.5 "
                "AND assessed_on = '2026-03-02'") == 1);
  REQUIRE_OK(desk->RecordScore(TestNip(1), ScoreKind::kPreTest, "60").status());
  // A reaction as its four aspects: the score is their mean.
  auto reaction = desk->RecordScore(TestNip(1), ScoreKind::kReaction, "80 90 70 100");
  REQUIRE_OK(reaction.status());
  CHECK(reaction->scores.reaction == 85);
  CHECK(w.Count("SELECT count(*) FROM evaluation WHERE kind = 'reaction' AND level = 1 AND "
                "json_extract(aspects, '$.fasilitator') = 90 AND json_extract(aspects, '$.jadwal') = 100") == 1);
  CHECK(reaction->scores.pre_test == 60);

  // Refused, and nothing stored: out of range, not a number, the wrong count.
  for (const char* typed : {"101", "-5", "8x", "", "80 90"}) {
    INFO(typed);
    auto bad = desk->RecordScore(TestNip(2), ScoreKind::kPostTest, typed);
    CHECK(bad.status().code() == StatusCode::kInvalidArgument);
  }
  CHECK(desk->RecordScore(TestNip(2), ScoreKind::kReaction, "1 2 3").status().code() ==
        StatusCode::kInvalidArgument);
  CHECK(w.Count("SELECT count(*) FROM evaluation WHERE employee_id = '" +
                domain::NaturalId("employee", {TestNip(2)}) + "'") == 0);
  CHECK(desk->RecordScore(TestNip(88), ScoreKind::kPostTest, "70").status().code() == StatusCode::kNotFound);

  // A corrected score, then undo: the earlier one comes back; undo again:
  // the reaction is gone (a tombstone, which syncs).
  REQUIRE_OK(desk->RecordScore(TestNip(1), ScoreKind::kPostTest, "90").status());
  auto undone = desk->Undo();
  REQUIRE_OK(undone.status());
  REQUIRE(*undone);
  CHECK((*undone)->scores.post_test == 85.5);
  CHECK(w.Count("SELECT count(*) FROM evaluation WHERE kind = 'post_test' AND score = 85.5") == 1);
  REQUIRE_OK(desk->Undo().status());
  CHECK(w.Count("SELECT count(*) FROM evaluation WHERE kind = 'reaction'") == 0);
  CHECK(w.Count("SELECT count(*) FROM deleted_row WHERE tbl = 'evaluation'") == 1);
  // Scores stay when the desk is opened again.
  auto again = w.Open();
  CHECK(again->FindNip(TestNip(1))->scores.pre_test == 60);
  CHECK_FALSE(again->FindNip(TestNip(1))->scores.reaction);
}

TEST_CASE("the desk imports the facilitator's score sheet, all or nothing", "[client][desk][scores]") {
  DeskWorld w;
  auto desk = w.Open();
  const std::string good = w.dir.File("nilai.csv"), bad = w.dir.File("salah.csv");
  test::WriteFile(good, "NIP;Nama;Nilai Pre;Nilai Post;Materi;Fasilitator;Sarana;Jadwal\r\n" + TestNip(1) +
                            ";Baiq;55;80,5;75;80;85;90\r\n" + TestNip(2) + ";Lalu;;;;;;\r\n");
  auto rep = desk->ImportScores(good);
  REQUIRE_OK(rep.status());
  CHECK(rep->errors.empty());
  CHECK(rep->records == 2);
  CHECK(rep->created == 3);  // pre, post and the reaction of NIP 1
  CHECK(rep->skipped == 1);  // NIP 2 without a score
  const DeskPerson* baiq = desk->FindNip(TestNip(1));
  CHECK(baiq->scores.pre_test == 55);
  CHECK(baiq->scores.post_test == 80.5);
  CHECK(baiq->scores.reaction == 82.5);

  test::WriteFile(bad, "nip,post test\n" + TestNip(2) + ",70\n" + TestNip(3) + ",seratus\n" + TestNip(90) +
                           ",60\n");
  auto refused = desk->ImportScores(bad);
  REQUIRE_OK(refused.status());
  REQUIRE(refused->errors.size() == 2);
  CHECK(refused->errors[0].line == 3);
  CHECK_THAT(refused->errors[0].message, Catch::Contains("seratus"));
  CHECK(refused->errors[1].line == 4);
  CHECK_THAT(refused->errors[1].message, Catch::Contains(TestNip(90)));
  CHECK(w.Count("SELECT count(*) FROM evaluation") == 3);  // NIP 2's good line was not stored either
  CHECK(desk->ImportScores(w.dir.File("missing.csv")).status().code() == StatusCode::kNotFound);
}

TEST_CASE("an unknown session is refused with its id", "[client][desk]") {
  DeskWorld w;
  auto desk = Desk::Open(*w.db, "no-such-session");
  CHECK(desk.status().code() == StatusCode::kNotFound);
  CHECK_THAT(desk.status().message(), Catch::Contains("no-such-session"));
}

}  // namespace latih::client
