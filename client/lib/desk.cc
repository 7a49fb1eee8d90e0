#include "client/lib/desk.h"

#include <algorithm>
#include <string_view>

#include "client/lib/messages.h"
#include "client/lib/office_db_internal.h"
#include "sync/domain/ids.h"
#include "sync/domain/nip.h"
#include "sync/domain/vocab.h"

namespace latih::client {
namespace {

using sync::sqlite::Stmt;

// Latin letters with marks, by code point, as the letter without: U+00C0 –
// U+00FF, then U+0100 – U+017F. ' ' for the two signs among them (× ÷).
constexpr std::string_view kLatin1 =
    "aaaaaaaceeeeiiii"   // À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
    "dnooooo ouuuuyts"   // Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
    "aaaaaaaceeeeiiii"   // à ... ï
    "dnooooo ouuuuyty";  // ð ... ÿ
constexpr std::string_view kLatinExtendedA =
    "aaaaaacccccccc"  // Ā ā Ă ă Ą ą Ć ć Ĉ ĉ Ċ ċ Č č
    "ddddeeeeeeeeee"  // Ď ď Đ đ Ē ē Ĕ ĕ Ė ė Ę ę Ě ě
    "gggggggghhhh"    // Ĝ ĝ Ğ ğ Ġ ġ Ģ ģ Ĥ ĥ Ħ ħ
    "iiiiiiiiiiiijj"  // Ĩ ĩ Ī ī Ĭ ĭ Į į İ ı Ĳ ĳ Ĵ ĵ
    "kkkllllllllll"   // Ķ ķ ĸ Ĺ ĺ Ļ ļ Ľ ľ Ŀ ŀ Ł ł
    "nnnnnnnnn"       // Ń ń Ņ ņ Ň ň ŉ Ŋ ŋ
    "oooooooo"        // Ō ō Ŏ ŏ Ő ő Œ œ
    "rrrrrrssssssss"  // Ŕ ŕ Ŗ ŗ Ř ř Ś ś Ŝ ŝ Ş ş Š š
    "tttttt"          // Ţ ţ Ť ť Ŧ ŧ
    "uuuuuuuuuuuu"    // Ũ ũ Ū ū Ŭ ŭ Ů ů Ű ű Ų ų
    "wwyyyzzzzzzs";   // Ŵ ŵ Ŷ ŷ Ÿ Ź ź Ż ż Ž ž ſ
static_assert(kLatin1.size() == 64 && kLatinExtendedA.size() == 128);

std::string DigitsOnly(std::string_view text, bool* only_digits_and_spaces) {
  std::string digits;
  *only_digits_and_spaces = true;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      digits += c;
    } else if (c != ' ') {
      *only_digits_and_spaces = false;
    }
  }
  return digits;
}

std::vector<std::string_view> Words(std::string_view folded) {
  std::vector<std::string_view> words;
  size_t at = 0;
  while (at < folded.size()) {
    const size_t end = std::min(folded.find(' ', at), folded.size());
    if (end > at) words.push_back(folded.substr(at, end - at));
    at = end + 1;
  }
  return words;
}

// 2: every word of the query starts a word of the name; 1: each is inside
// it somewhere; 0: not a match.
int NameMatch(std::string_view name, const std::vector<std::string_view>& query) {
  int rank = 2;
  for (std::string_view q : query) {
    size_t at = name.find(q);
    if (at == std::string_view::npos) return 0;
    bool starts = false;
    for (; at != std::string_view::npos && !starts; at = name.find(q, at + 1)) starts = at == 0 || name[at - 1] == ' ';
    if (!starts) rank = 1;
  }
  return rank;
}

}  // namespace

std::string FoldForSearch(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool gap = false;  // a separator is owed before the next letter
  auto letter = [&](char c) {
    if (gap && !out.empty()) out += ' ';
    gap = false;
    out += c;
  };
  for (size_t i = 0; i < text.size();) {
    const auto b = static_cast<unsigned char>(text[i]);
    if (b < 0x80) {
      if (b >= 'A' && b <= 'Z') {
        letter(static_cast<char>(b - 'A' + 'a'));
      } else if ((b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')) {
        letter(static_cast<char>(b));
      } else if (b != '\'' && b != '`') {  // Ma'ruf is maruf; other signs part words
        gap = true;
      }
      ++i;
      continue;
    }
    size_t len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
    len = std::min(len, text.size() - i);
    const auto b1 = len > 1 ? static_cast<unsigned char>(text[i + 1]) : 0;
    const auto b2 = len > 2 ? static_cast<unsigned char>(text[i + 2]) : 0;
    if (len == 2 && b == 0xC3 && b1 >= 0x80 && b1 <= 0xBF) {
      const char c = kLatin1[b1 - 0x80];
      if (c == ' ') gap = true;
      else letter(c);
    } else if (len == 2 && (b == 0xC4 || b == 0xC5) && b1 >= 0x80 && b1 <= 0xBF) {
      letter(kLatinExtendedA[(b - 0xC4) * 64 + (b1 - 0x80)]);
    } else if (len == 3 && b == 0xE2 && b1 == 0x80 && (b2 == 0x98 || b2 == 0x99)) {
      // ‘ ’ : apostrophes, dropped as '
    } else if (len == 2 && b == 0xC2) {
      gap = true;  // Latin-1 signs and no-break space
    } else {
      if (gap && !out.empty()) out += ' ';
      gap = false;
      out.append(text.substr(i, len));  // another script's letter, kept as it is
    }
    i += len;
  }
  return out;
}

Result<std::unique_ptr<Desk>> Desk::Open(OfficeDb& db, const std::string& session_id) {
  std::unique_ptr<Desk> desk(new Desk(db, session_id));
  LATIH_RETURN_IF_ERROR(desk->Load());
  return desk;
}

Status Desk::Load() {
  auto& sql = db_.store().db();
  {
    LATIH_ASSIGN_OR_RETURN(Stmt* s, sql.Prepare(
        "SELECT s.training_id, coalesce(s.office_id, t.office_id, ''), s.date, coalesce(s.start_time, ''), t.title "
        "FROM session s JOIN training t ON t.id = s.training_id WHERE s.id = ?1"));
    s->Bind(1, session_id_);
    LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
    if (!found) {
      s->Reset();
      return Status::NotFound(Say(Msg::kDeskSessionMissing, {session_id_}));
    }
    training_id_ = s->ColumnText(0);
    host_office_ = s->ColumnText(1);
    date_ = s->ColumnText(2);
    start_time_ = s->ColumnText(3);
    training_title_ = s->ColumnText(4);
    s->Reset();
  }
  if (host_office_.empty()) host_office_ = db_.office_id();  // a global training: our office's people
  LATIH_ASSIGN_OR_RETURN(roster_, LoadRoster(db_, training_id_, host_office_, session_id_));
  return LoadScores();
}

Result<std::vector<DeskPerson>> LoadRoster(OfficeDb& db, const std::string& training_id, const std::string& office,
                                           const std::string& session_id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db.store().db().Prepare(
      "SELECT e.id, e.nip, e.name, e.office_id, e.needs_review, coalesce(a.status, ''), "
      "coalesce(a.checked_in_at, ''), a.minutes_late "
      "FROM employee e LEFT JOIN attendance a ON a.employee_id = e.id AND a.session_id = ?1 "
      "WHERE (e.active = 1 AND e.office_id = ?2) OR e.id IN (SELECT a2.employee_id FROM attendance a2 "
      "JOIN session s2 ON s2.id = a2.session_id WHERE s2.training_id = ?3) "
      "ORDER BY e.name, e.nip"));
  s->Bind(1, session_id).Bind(2, office).Bind(3, training_id);
  std::vector<DeskPerson> roster;
  for (;;) {
    auto row = s->Step();
    if (!row.ok()) {
      s->Reset();
      return row.status();
    }
    if (!*row) break;
    DeskPerson p;
    p.employee_id = s->ColumnText(0);
    p.nip = s->ColumnText(1);
    p.name = s->ColumnText(2);
    p.office_id = s->ColumnText(3);
    p.needs_review = s->ColumnInt(4) != 0;
    p.status = s->ColumnText(5);
    p.checked_in_at = s->ColumnText(6);
    if (!s->ColumnIsNull(7)) p.minutes_late = s->ColumnInt(7);
    p.folded = FoldForSearch(p.name);
    roster.push_back(std::move(p));
  }
  s->Reset();
  return roster;
}

std::vector<const DeskPerson*> Desk::Search(std::string_view query, size_t limit) const {
  struct Hit {
    int rank;
    const DeskPerson* person;
  };
  std::vector<Hit> hits;
  bool numeric = false;
  const std::string digits = DigitsOnly(query, &numeric);
  if (numeric && !digits.empty()) {
    for (const auto& p : roster_) {
      const size_t at = p.nip.find(digits);
      if (at == std::string::npos) continue;
      hits.push_back({p.nip == digits ? 3 : at == 0 ? 2 : 1, &p});
    }
  } else {
    const std::string folded = FoldForSearch(query);
    const auto words = Words(folded);
    if (words.empty()) return {};
    for (const auto& p : roster_) {
      if (int rank = NameMatch(p.folded, words)) hits.push_back({rank, &p});
    }
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.rank > b.rank; });
  std::vector<const DeskPerson*> out;
  for (size_t i = 0; i < hits.size() && i < limit; ++i) out.push_back(hits[i].person);
  return out;
}

const DeskPerson* Desk::FindNip(std::string_view nip) const {
  bool numeric = false;
  const std::string digits = DigitsOnly(nip, &numeric);
  if (!numeric || digits.empty()) return nullptr;
  for (const auto& p : roster_) {
    if (p.nip == digits) return &p;
  }
  return nullptr;
}

DeskPerson* Desk::Find(std::string_view employee_id) {
  for (auto& p : roster_) {
    if (p.employee_id == employee_id) return &p;
  }
  return nullptr;
}

Result<DeskCheckIn> Desk::CheckIn(std::string_view nip, std::string_view status, std::string_view method,
                                  bool allow_change) {
  bool numeric = false;
  std::string digits = DigitsOnly(nip, &numeric);
  return Record(numeric ? digits : std::string(nip), status, method, allow_change, std::nullopt);
}

Result<DeskCheckIn> Desk::CheckInWalkIn(std::string_view nip, std::string_view name, std::string_view status,
                                        std::string_view method) {
  bool numeric = false;
  std::string trimmed(name);
  trimmed.erase(0, trimmed.find_first_not_of(' '));
  trimmed.erase(trimmed.find_last_not_of(' ') + 1);
  if (trimmed.empty()) return Status::Invalid(std::string(Say(Msg::kDeskWalkInNeedsName)));
  std::string digits = DigitsOnly(nip, &numeric);
  return Record(numeric ? digits : std::string(nip), status, method, false, std::move(trimmed));
}

Result<DeskCheckIn> Desk::Record(const std::string& nip, std::string_view status, std::string_view method,
                                 bool allow_change, std::optional<std::string> walk_in_name) {
  LATIH_ASSIGN_OR_RETURN(domain::NipInfo parsed, internal::ParseNipSaid(nip));
  LATIH_ASSIGN_OR_RETURN(std::string code, domain::ParseAttendanceStatus(status));
  const std::string employee_id = domain::NaturalId("employee", {parsed.nip});
  const std::string attendance_id = domain::NaturalId("attendance", {session_id_, employee_id});
  LATIH_ASSIGN_OR_RETURN(std::optional<sync::Row> before, db_.store().Get("attendance", attendance_id));
  DeskCheckIn out;
  if (before) {
    out.previous_status = Cell(db_.store(), *before, "attendance", "status");
    out.previous_at = Cell(db_.store(), *before, "attendance", "checked_in_at");
    if (out.previous_status == code || !allow_change) {
      out.kind = DeskCheckIn::Kind::kAlreadyPresent;
      DeskPerson* known = Find(employee_id);
      if (known) {
        out.person = *known;
      } else {
        out.person.nip = parsed.nip;
        out.person.status = out.previous_status;
      }
      return out;
    }
    out.kind = DeskCheckIn::Kind::kChanged;
  }
  AttendInput in;
  in.session_id = session_id_;
  in.nip = parsed.nip;
  in.status = code;
  in.method = std::string(method);
  if (walk_in_name) {
    in.add_unknown = true;
    in.unknown_name = walk_in_name;
  }
  // The time of this check-in, so that "terlambat" counts its minutes from
  // the session's start (only when the session is today).
  LATIH_ASSIGN_OR_RETURN(std::string now, db_.LocalTimestamp());
  if (now.substr(0, 10) == date_) in.at = now;
  LATIH_ASSIGN_OR_RETURN(AttendOutcome done, db_.Attend(in));
  out.walk_in = done.placeholder_added;
  undo_.push_back(Undoable{"attendance", attendance_id, employee_id, std::move(before)});
  DeskPerson* person = Find(employee_id);
  if (!person) {  // a walk-in, or someone registered since the desk opened
    roster_.push_back(DeskPerson{employee_id, parsed.nip, done.employee_name, "", "", "", std::nullopt, false,
                                 FoldForSearch(done.employee_name), {}});
    person = &roster_.back();
  }
  LATIH_RETURN_IF_ERROR(Refresh(*person));
  out.person = *person;
  return out;
}

Status Desk::Refresh(DeskPerson& person) {
  LATIH_ASSIGN_OR_RETURN(std::optional<sync::Row> employee, db_.store().Get("employee", person.employee_id));
  if (employee) {
    person.office_id = Cell(db_.store(), *employee, "employee", "office_id");
    person.needs_review = Cell(db_.store(), *employee, "employee", "needs_review") == "1";
  }
  const std::string attendance_id = domain::NaturalId("attendance", {session_id_, person.employee_id});
  LATIH_ASSIGN_OR_RETURN(std::optional<sync::Row> row, db_.store().Get("attendance", attendance_id));
  person.status = row ? Cell(db_.store(), *row, "attendance", "status") : "";
  person.checked_in_at = row ? Cell(db_.store(), *row, "attendance", "checked_in_at") : "";
  person.minutes_late.reset();
  if (row) {
    const std::string minutes = Cell(db_.store(), *row, "attendance", "minutes_late");
    if (!minutes.empty()) person.minutes_late = std::stoll(minutes);
  }
  return Status::Ok();
}

Result<std::optional<DeskPerson>> Desk::Undo() {
  if (undo_.empty()) return std::optional<DeskPerson>();
  const Undoable last = undo_.back();
  LATIH_ASSIGN_OR_RETURN(auto batch, db_.store().BeginWrite());
  if (!last.before) {
    LATIH_RETURN_IF_ERROR(batch->Delete(last.table, last.row_id));
  } else {
    // The columns the desk writes get their earlier values back.
    static const std::vector<const char*> kAttendance = {"status", "minutes_late", "checked_in_at", "method",
                                                         "note"};
    static const std::vector<const char*> kEvaluation = {"score", "aspects", "assessed_on"};
    const sync::TableDef* td = db_.store().catalog().Find(last.table);
    std::vector<sync::ColumnValue> values;
    for (const char* column : last.table == "attendance" ? kAttendance : kEvaluation) {
      values.push_back({column, last.before->values[static_cast<size_t>(td->ColumnIndex(column))]});
    }
    LATIH_RETURN_IF_ERROR(batch->Put(last.table, last.row_id, values).status());
  }
  LATIH_RETURN_IF_ERROR(batch->Commit());
  undo_.pop_back();
  DeskPerson* person = Find(last.employee_id);
  if (!person) return std::optional<DeskPerson>();
  LATIH_RETURN_IF_ERROR(Refresh(*person));
  LATIH_RETURN_IF_ERROR(LoadScores());
  return std::optional<DeskPerson>(*person);
}

DeskCounts Desk::Counts() const {
  DeskCounts c;
  for (const auto& p : roster_) {
    ++c.total;
    if (p.status.empty()) ++c.not_yet;
    else if (domain::StatusCountsAsAttended(p.status)) ++c.present;
    else ++c.excused;
  }
  return c;
}

}  // namespace latih::client
