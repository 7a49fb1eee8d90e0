#include "client/lib/elearning.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>

#include "client/lib/messages.h"
#include "client/lib/office_db_internal.h"
#include "sync/domain/ids.h"
#include "sync/domain/nip.h"
#include "sync/domain/vocab.h"
#include "sync/row_rules.h"

namespace latih::client {

using namespace internal;

namespace {

constexpr int kElearningForm = 16;     // SIASN jenisDiklatId: E-Learning
constexpr double kMaxSessionJp = 100;  // a session credits at most this (schema)

const CsvColumnSpec kColumns[] = {
    // Required unless the file has an e-mail column (ImportElearning).
    {"nip", {"nip", "id number", "idnumber", "nomor id", "nomor identitas", "username", "nama pengguna", "user id number"},
     false},
    {"email", {"email", "email address", "alamat email", "surel", "e-mail"}, false},
    {"name", {"name", "full name", "nama", "nama lengkap", "user full name", "first name / surname"}, false},
    {"first", {"first name", "nama depan"}, false},
    {"last", {"surname", "last name", "nama belakang"}, false},
    {"course", {"course", "course name", "course full name", "kursus", "nama kursus", "pelatihan"}, false},
    {"jp", {"jp", "jam pelajaran"}, false},
    {"completed", {"course complete", "course completed", "time completed", "date completed", "completion date",
                   "completed", "kursus selesai", "selesai", "tanggal selesai", "waktu selesai"}, true},
};

// Texts an LMS writes for a course not (yet) completed.
bool SaysNotCompleted(const std::string& lower) {
  static const std::set<std::string, std::less<>> kTexts = {
      "-", "no", "tidak", "not completed", "incomplete", "in progress", "belum", "belum selesai",
      "tidak selesai", "sedang berjalan", "not complete", "belum lulus"};
  return lower.empty() || kTexts.count(lower) > 0;
}

int Number(std::string_view digits) {
  int v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  return v;
}

bool AllDigits(std::string_view s, size_t min, size_t max) {
  return s.size() >= min && s.size() <= max && std::all_of(s.begin(), s.end(), [](char c) {
           return c >= '0' && c <= '9';
         });
}

// "10:15", "10.15", "10:15:30", with "am"/"pm" as a separate word.
std::optional<std::string> ParseClock(std::string_view text, std::string_view meridiem) {
  const size_t sep = text.find_first_of(":.");
  if (sep == std::string_view::npos) return std::nullopt;
  const std::string_view h = text.substr(0, sep), rest = text.substr(sep + 1);
  const std::string_view m = rest.substr(0, 2);
  if (!AllDigits(h, 1, 2) || !AllDigits(m, 2, 2)) return std::nullopt;
  if (rest.size() != 2 && !(rest.size() == 5 && (rest[2] == ':' || rest[2] == '.') && AllDigits(rest.substr(3), 2, 2))) {
    return std::nullopt;
  }
  int hour = Number(h);
  const int minute = Number(m);
  if (meridiem == "pm" && hour < 12) hour += 12;
  if (meridiem == "am" && hour == 12) hour = 0;
  if (hour > 23 || minute > 59 || (!meridiem.empty() && Number(h) > 12)) return std::nullopt;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", hour % 100, minute % 100);
  return std::string(buf);
}

std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

std::optional<std::string> Join(int year, int month, int day, const std::string& clock) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year % 10000, month % 100, day % 100);
  if (!sync::IsIsoDate(buf)) return std::nullopt;
  return std::string(buf) + "T" + clock;
}

}  // namespace

std::optional<std::string> ParseCompletionTime(std::string_view text) {
  std::string t = Lower(Trim(text));
  // ISO: 2026-03-07, 2026-03-07 10:15, 2026-03-07T10:15:00.
  if (t.size() >= 10 && t[4] == '-' && t[7] == '-') {
    const std::string date = t.substr(0, 10);
    if (!sync::IsIsoDate(date)) return std::nullopt;
    if (t.size() == 10) return date + "T00:00";
    if (t[10] != ' ' && t[10] != 't') return std::nullopt;
    auto clock = ParseClock(Trim(t.substr(11)), "");
    if (!clock) return std::nullopt;
    return date + "T" + *clock;
  }
  std::vector<std::string> words = Tokens(t);
  if (words.empty()) return std::nullopt;
  std::string meridiem;
  if (words.back() == "am" || words.back() == "pm") {
    meridiem = words.back();
    words.pop_back();
  }
  // day/month/year, then a time: Moodle's short form (07/03/26, 10:15).
  if (words[0].find('/') != std::string::npos) {
    const std::string& d = words[0];
    const size_t a = d.find('/'), b = d.find('/', a + 1);
    if (b == std::string::npos) return std::nullopt;
    const std::string day = d.substr(0, a), month = d.substr(a + 1, b - a - 1), year = d.substr(b + 1);
    if (!AllDigits(day, 1, 2) || !AllDigits(month, 1, 2) || !(AllDigits(year, 2, 2) || AllDigits(year, 4, 4))) {
      return std::nullopt;
    }
    std::string clock = "00:00";
    if (words.size() == 2) {
      auto c = ParseClock(words[1], meridiem);
      if (!c) return std::nullopt;
      clock = *c;
    } else if (words.size() > 2) {
      return std::nullopt;
    }
    const int y = year.size() == 2 ? 2000 + Number(year) : Number(year);
    return Join(y, Number(month), Number(day), clock);
  }
  // The long form: [weekday] day month year [time].
  size_t at = AllDigits(words[0], 1, 2) ? 0 : 1;  // a weekday first
  if (words.size() < at + 3 || !AllDigits(words[at], 1, 2) || !AllDigits(words[at + 2], 4, 4)) return std::nullopt;
  const int month = MonthByName(words[at + 1]);
  if (month == 0) return std::nullopt;
  std::string clock = "00:00";
  if (words.size() == at + 4) {
    auto c = ParseClock(words[at + 3], meridiem);
    if (!c) return std::nullopt;
    clock = *c;
  } else if (words.size() != at + 3) {
    return std::nullopt;
  }
  return Join(Number(words[at + 2]), month, Number(words[at]), clock);
}

namespace {

// One completion read from the file, matched to an employee.
struct Completion {
  int line = 0;
  std::string nip, course, at;  // at: "YYYY-MM-DDTHH:MM"
  double jp = 0;
};

struct Course {
  std::string title, training_id;
  double jp = 0;
  std::string first, last;             // the completions' dates
  std::map<std::string, std::string> first_of_year;  // year -> earliest date
};

Result<double> ParseJp(std::string_view text) {
  std::string t = Trim(text);
  if (t.find(',') != std::string::npos && t.find('.') == std::string::npos) t[t.find(',')] = '.';
  char* end = nullptr;
  const double v = std::strtod(t.c_str(), &end);
  if (t.empty() || *end != '\0' || !(v > 0 && v <= kMaxSessionJp)) {
    return Status::Invalid(Say(Msg::kElearningBadJp, {text}));
  }
  return v;
}

// The e-mail's one employee on this office's roster; else nullopt and
// `reason` says why (unknown, shared, not an address).
Result<std::optional<std::string>> MatchEmail(OfficeDb& db, std::string_view text, std::string& reason) {
  const std::string email = Lower(Trim(text));
  if (!sync::IsStoredEmail(email)) {
    reason = Say(Msg::kElearningEmailBad, {Trim(text)});
    return std::optional<std::string>();
  }
  LATIH_ASSIGN_OR_RETURN(auto found, db.FindEmployeesByEmail(email));
  if (found.size() == 1) return std::optional<std::string>(found.front().nip);
  std::string nips;
  for (const auto& e : found) nips += (nips.empty() ? "" : ", ") + e.nip;
  reason = found.empty() ? Say(Msg::kElearningEmailUnknown, {email})
                         : Say(Msg::kElearningEmailAmbiguous, {email, std::to_string(found.size()), nips});
  return std::optional<std::string>();
}

// The NIP of the line's person on this office's roster: by NIP when the
// line has a well-formed one (the LMS's ID number is authoritative: a NIP
// not on the roster is not overridden by an e-mail), else by an e-mail that
// exactly one employee has. nullopt with `reason` otherwise.
Result<std::optional<std::string>> MatchPerson(OfficeDb& db, const std::string& raw_nip, std::string_view email,
                                               std::string& reason) {
  auto nip = ParseNipSaid(raw_nip);
  if (nip.ok()) {
    LATIH_ASSIGN_OR_RETURN(auto employee, db.FindEmployee(nip->nip));
    if (employee && employee->office_id == db.office_id()) return std::optional<std::string>(nip->nip);
    reason = Say(Msg::kElearningNotOnRoster, {nip->nip});
    return std::optional<std::string>();
  }
  if (!Trim(email).empty()) return MatchEmail(db, email, reason);
  reason = raw_nip.empty() ? Say(Msg::kElearningNoNip, {}) : nip.status().message();
  return std::optional<std::string>();
}

// Writes the course's training (this office's, form 16) and its session of
// each year; their dates take in what is already stored.
Status WriteCourse(OfficeDb& db, sync::sqlite::WriteBatch& batch, Course& c, const std::string& lms,
                   const std::string& competency) {
  LATIH_ASSIGN_OR_RETURN(auto stored, batch.Get("training", c.training_id));
  if (stored) {
    c.first = std::min(c.first, Cell(db.store(), *stored, "training", "start_date"));
    c.last = std::max(c.last, Cell(db.store(), *stored, "training", "end_date"));
  }
  const int64_t minutes = std::llround(c.jp * db.policy().minutes_per_jp);
  const std::vector<sync::ColumnValue> training = {
      {"office_id", db.office_id()}, {"title", c.title}, {"form", int64_t{kElearningForm}},
      {"route", std::string(domain::DefaultRouteForForm(kElearningForm))}, {"competency", competency},
      {"jp", c.jp}, {"minutes", minutes}, {"organizer", "E-learning (" + lms + ")"},  // data: never in the reader's language
      {"start_date", c.first}, {"end_date", c.last}};
  LATIH_RETURN_IF_ERROR(batch.Put("training", c.training_id, training).status());
  for (const auto& [year, first] : c.first_of_year) {
    const std::string id = domain::NaturalId("session", {c.training_id, year});
    std::string date = first;
    LATIH_ASSIGN_OR_RETURN(auto session, batch.Get("session", id));
    if (session) date = std::min(date, Cell(db.store(), *session, "session", "date"));
    const std::vector<sync::ColumnValue> cols = {
        {"training_id", c.training_id}, {"office_id", db.office_id()}, {"date", date}, {"jp", c.jp}};
    LATIH_RETURN_IF_ERROR(batch.Put("session", id, cols).status());
  }
  return Status::Ok();
}

}  // namespace

Result<ElearningReport> ImportElearning(OfficeDb& db, const CsvTable& table, const std::string& source,
                                        const ElearningOptions& options) {
  // The specs, with the options' overrides (kept alive for Map).
  std::vector<CsvColumnSpec> specs(std::begin(kColumns), std::end(kColumns));
  for (const auto& column : options.columns) {
    const std::string& key = column.first;
    auto it = std::find_if(specs.begin(), specs.end(), [&](const CsvColumnSpec& s) { return s.key == key; });
    if (it == specs.end() || key == "first" || key == "last") {
      return Status::Invalid(Say(Msg::kElearningBadColumnKey, {key}));
    }
    it->names = {column.second};
  }
  // People are found by NIP, or by e-mail where a line has no usable NIP:
  // a file without an e-mail column needs its NIP column.
  auto mapped = CsvColumns::Map(table, specs, source);
  if (!mapped.ok() || !mapped->Has("email")) {
    specs.front().required = true;  // kColumns lists nip first
    mapped = CsvColumns::Map(table, specs, source);
  }
  LATIH_ASSIGN_OR_RETURN(CsvColumns cols, std::move(mapped));
  if (!cols.Has("course") && !options.course) return Status::Invalid(Say(Msg::kElearningNeedsCourse, {source}));
  if (!cols.Has("jp") && !options.jp) return Status::Invalid(Say(Msg::kElearningNeedsJp, {source}));
  LATIH_ASSIGN_OR_RETURN(std::string competency, domain::ParseCompetencyType(options.competency));
  if (options.jp && !(*options.jp > 0 && *options.jp <= kMaxSessionJp)) {
    return Status::Invalid(Say(Msg::kElearningBadJp, {sync::ValueToText(*options.jp)}));
  }

  ElearningReport rep;
  std::vector<Completion> completions;
  std::set<std::pair<std::string, std::string>> seen;  // (nip, course)
  for (const auto& rec : table.records) {
    bool blank = true;
    for (const auto& f : rec.fields) blank = blank && Trim(f).empty();
    if (blank) continue;
    ++rep.records;
    const std::string done = Trim(cols.Get(rec, "completed"));
    auto at = ParseCompletionTime(done);
    if (!at) {
      if (SaysNotCompleted(Lower(done))) {
        ++rep.not_completed;
      } else {
        rep.errors.push_back({rec.line, Say(Msg::kElearningBadDate, {done})});
      }
      continue;
    }
    Completion c;
    c.line = rec.line;
    c.at = *at;
    c.course = Trim(cols.Get(rec, "course"));
    if (c.course.empty() && options.course) c.course = Trim(*options.course);
    if (c.course.empty()) {
      rep.errors.push_back({rec.line, Say(Msg::kElearningNoCourse, {})});
      continue;
    }
    const std::string jp_text = Trim(cols.Get(rec, "jp"));
    if (!jp_text.empty()) {
      auto jp = ParseJp(jp_text);
      if (!jp.ok()) {
        rep.errors.push_back({rec.line, jp.status().message()});
        continue;
      }
      c.jp = *jp;
    } else if (options.jp) {
      c.jp = *options.jp;
    } else {
      rep.errors.push_back({rec.line, Say(Msg::kElearningNoJp, {c.course})});
      continue;
    }
    // Who: the NIP, else the e-mail; listed as unmatched with what the line says.
    const std::string raw_nip = Trim(cols.Get(rec, "nip"));
    std::string who = raw_nip;
    for (const char* key : {"email", "name"}) {
      if (who.empty()) who = Trim(cols.Get(rec, key));
    }
    if (who.empty()) who = Trim(Trim(cols.Get(rec, "first")) + " " + Trim(cols.Get(rec, "last")));
    std::string reason;
    LATIH_ASSIGN_OR_RETURN(std::optional<std::string> nip, MatchPerson(db, raw_nip, cols.Get(rec, "email"), reason));
    if (!nip) {
      rep.unmatched.push_back({rec.line, who, reason});
      continue;
    }
    if (!seen.insert({*nip, Lower(c.course)}).second) {
      rep.errors.push_back({rec.line, Say(Msg::kElearningTwice, {*nip, c.course})});
      continue;
    }
    c.nip = *nip;
    completions.push_back(std::move(c));
  }

  // The courses: one training each, keyed by the LMS and the title.
  std::map<std::string, Course> courses;  // by lower-case title
  for (const Completion& c : completions) {
    Course& course = courses[Lower(c.course)];
    const std::string date = c.at.substr(0, 10);
    if (course.title.empty()) {
      course.title = c.course;
      course.jp = c.jp;
      course.first = course.last = date;
      course.training_id =
          domain::NaturalId("training", {"elearning", db.office_id(), Lower(Trim(options.lms)), Lower(c.course)});
    } else if (course.jp != c.jp) {
      rep.errors.push_back({c.line, Say(Msg::kElearningJpDiffers, {c.course, sync::ValueToText(c.jp),
                                                                   sync::ValueToText(course.jp)})});
    }
    course.first = std::min(course.first, date);
    course.last = std::max(course.last, date);
    std::string& first = course.first_of_year[date.substr(0, 4)];
    first = first.empty() ? date : std::min(first, date);
  }
  rep.trainings = static_cast<int>(courses.size());
  if (!rep.errors.empty()) return rep;

  LATIH_ASSIGN_OR_RETURN(auto batch, db.store().BeginWrite());
  for (auto& [key, course] : courses) LATIH_RETURN_IF_ERROR(WriteCourse(db, *batch, course, options.lms, competency));
  for (const Completion& c : completions) {
    const Course& course = courses.at(Lower(c.course));
    AttendInput in;
    in.session_id = domain::NaturalId("session", {course.training_id, c.at.substr(0, 4)});
    in.nip = c.nip;
    in.status = "hadir";
    in.at = c.at;
    in.method = "csv";
    LATIH_ASSIGN_OR_RETURN(AttendOutcome out, db.Attend(*batch, in));
    ++rep.completions;
    if (out.created) ++rep.created;
    else if (out.changed) ++rep.updated;
    else ++rep.unchanged;
  }
  LATIH_RETURN_IF_ERROR(batch->Commit());
  return rep;
}

}  // namespace latih::client
