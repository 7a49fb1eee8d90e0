#include "client/lib/importers.h"

#include <cstdlib>
#include <set>

#include "client/lib/messages.h"
#include "client/lib/office_db_internal.h"
#include "sync/domain/nip.h"

namespace latih::client {

using namespace internal;

namespace {

const CsvColumnSpec kRosterColumns[] = {
    {"nip", {"nip", "nip baru", "nomor induk pegawai", "ni pppk"}, true},
    {"name", {"nama", "name", "nama lengkap", "nama pegawai"}, false},
    {"position", {"jabatan", "position", "nama jabatan"}, false},
    {"rank", {"golongan", "rank", "pangkat golongan", "gol"}, false},
    {"type", {"jenis", "type", "jenis asn", "status kepegawaian"}, false},
    {"active", {"aktif", "active"}, false},
    {"email", {"email", "e-mail", "surel", "alamat email", "alamat surel", "email address"}, false},
};

const CsvColumnSpec kAttendanceColumns[] = {
    {"nip", {"nip", "nip baru", "ni pppk"}, true},
    {"status", {"status", "keterangan", "kehadiran"}, false},
    {"at", {"waktu", "at", "jam", "time", "jam hadir"}, false},
    {"note", {"catatan", "note", "notes"}, false},
    {"name", {"nama", "name"}, false},
};

// The facilitator's score sheet (docs/DESK.md, "Scores"). The reaction
// aspects are the LKPP level-1 instrument's: material, facilitator,
// facilities, schedule.
const CsvColumnSpec kEvaluationColumns[] = {
    {"nip", {"nip", "nip baru", "ni pppk"}, true},
    {"pre_test", {"pre test", "pretest", "nilai pre", "nilai pre test", "pre"}, false},
    {"post_test", {"post test", "posttest", "nilai post", "nilai post test", "post"}, false},
    {"reaction", {"reaksi", "reaction", "nilai reaksi", "evaluasi reaksi"}, false},
    {"materi", {"materi", "material"}, false},
    {"fasilitator", {"fasilitator", "pengajar", "widyaiswara", "facilitator"}, false},
    {"sarana", {"sarana", "fasilitas", "facilities"}, false},
    {"jadwal", {"jadwal", "schedule"}, false},
    {"date", {"tanggal", "date", "tanggal penilaian"}, false},
};
// e-Kinerja's SKP export (docs/SKP.md).
const CsvColumnSpec kSkpColumns[] = {
    {"nip", {"nip", "nip pegawai", "nip baru", "ni pppk", "nip asn"}, true},
    {"year", {"tahun", "year", "tahun penilaian", "tahun skp"}, true},
    {"period", {"periode", "period", "periode penilaian", "periode skp"}, false},
    {"hasil_kerja", {"hasil kerja", "rating hasil kerja", "nilai hasil kerja"}, true},
    {"perilaku_kerja", {"perilaku kerja", "rating perilaku kerja", "nilai perilaku kerja"}, true},
    {"predicate", {"predikat", "predikat kinerja", "predicate", "predikat kinerja pegawai"}, false},
    {"assessed_on", {"tanggal penilaian", "assessed on", "tanggal", "date"}, false},
    {"assessor_nip", {"nip penilai", "nip pejabat penilai", "assessor nip"}, false},
    {"assessor_name", {"nama penilai", "nama pejabat penilai", "assessor name"}, false},
};

constexpr std::string_view kReactionAspects[] = {"materi", "fasilitator", "sarana", "jadwal"};

// ya/tidak, yes/no, 1/0, aktif/nonaktif, true/false.
std::optional<bool> ParseBool(std::string_view text) {
  const std::string t = Lower(Trim(text));
  if (t == "ya" || t == "yes" || t == "1" || t == "aktif" || t == "true" || t == "y") return true;
  if (t == "tidak" || t == "no" || t == "0" || t == "nonaktif" || t == "false" || t == "n") return false;
  return std::nullopt;
}

std::optional<std::string> NonEmpty(std::string_view s) {
  if (Trim(s).empty()) return std::nullopt;
  return Trim(s);
}

// Spreadsheets export rows of empty cells (";;;;") below the data.
bool IsEmptyRecord(const CsvRecord& rec) {
  for (const auto& f : rec.fields) {
    if (!Trim(f).empty()) return false;
  }
  return true;
}

// A record with more fields than the header means misplaced delimiters.
bool CheckWidth(const CsvTable& table, const CsvRecord& rec, std::vector<LineError>& errors) {
  if (rec.fields.size() <= table.header.size()) return true;
  errors.push_back({rec.line, Say(Msg::kLineTooWide, {std::to_string(rec.fields.size()),
                                                        std::to_string(table.header.size())})});
  return false;
}

// Checks the NIP column and, with `seen`, that it is not listed twice;
// returns the normalized NIP.
std::optional<std::string> CheckNip(const CsvColumns& cols, const CsvRecord& rec,
                                    std::set<std::string>* seen, std::vector<LineError>& errors) {
  auto nip = ParseNipSaid(cols.Get(rec, "nip"));
  if (!nip.ok()) {
    errors.push_back({rec.line, nip.status().message()});
    return std::nullopt;
  }
  if (seen && !seen->insert(nip->nip).second) {
    errors.push_back({rec.line, Say(Msg::kNipTwiceInFile, {nip->nip})});
    return std::nullopt;
  }
  return nip->nip;
}

void Count(ImportReport& rep, const sync::sqlite::PutResult& put) {
  if (put.created) ++rep.created;
  else if (!put.changed.empty()) ++rep.updated;
  else ++rep.unchanged;
}

// A refused line (bad input, an unknown id) becomes an error of line
// `line`; anything else (the database failing) ends the import.
Status RefuseLine(const Status& status, int line, ImportReport& rep) {
  const StatusCode code = status.code();
  if (code != StatusCode::kInvalidArgument && code != StatusCode::kNotFound) return status;
  rep.errors.push_back({line, status.message()});
  return Status::Ok();
}

// The shape every import shares: in one batch, each non-blank record is
// counted, checked for width and for its NIP (once in the file), and given
// to `line(record, nip, batch, report)`; the batch commits only when no line
// was refused (else it rolls back when it goes). Without `nip_once` a NIP
// may come back (an SKP file's periods): `line` checks its own key.
template <typename Line>
Result<ImportReport> EachLine(OfficeDb& db, const CsvTable& table, const CsvColumns& cols, Line line,
                              bool nip_once = true) {
  ImportReport rep;
  std::set<std::string> seen;
  LATIH_ASSIGN_OR_RETURN(auto batch, db.store().BeginWrite());
  for (const auto& rec : table.records) {
    if (IsEmptyRecord(rec)) continue;
    ++rep.records;
    if (!CheckWidth(table, rec, rep.errors)) continue;
    auto nip = CheckNip(cols, rec, nip_once ? &seen : nullptr, rep.errors);
    if (!nip) continue;
    LATIH_RETURN_IF_ERROR(line(rec, *nip, *batch, rep));
  }
  if (rep.errors.empty()) LATIH_RETURN_IF_ERROR(batch->Commit());
  return rep;
}

}  // namespace

Result<ImportReport> ImportRoster(OfficeDb& db, const CsvTable& table, const std::string& source) {
  LATIH_ASSIGN_OR_RETURN(CsvColumns cols, CsvColumns::Map(table, kRosterColumns, source));
  return EachLine(db, table, cols, [&](const CsvRecord& rec, const std::string& nip,
                                       sync::sqlite::WriteBatch& batch, ImportReport& rep) -> Status {
    EmployeeInput in{nip, NonEmpty(cols.Get(rec, "name")), NonEmpty(cols.Get(rec, "position")),
                     NonEmpty(cols.Get(rec, "rank")), NonEmpty(cols.Get(rec, "type")), std::nullopt,
                     NonEmpty(cols.Get(rec, "email"))};
    if (auto a = NonEmpty(cols.Get(rec, "active"))) {
      in.active = ParseBool(*a);
      if (!in.active) {
        rep.errors.push_back({rec.line, Say(Msg::kActiveNotYaTidak, {*a})});
        return Status::Ok();
      }
    }
    LATIH_ASSIGN_OR_RETURN(auto existing, db.FindEmployee(nip));
    if (!existing && !in.name) {
      rep.errors.push_back({rec.line, Say(Msg::kNewNipNoName, {nip})});
      return Status::Ok();
    }
    auto put = db.PutEmployee(batch, in, false, false);
    if (!put.ok()) {
      if (put.status().code() != StatusCode::kInvalidArgument) return put.status();
      rep.errors.push_back({rec.line, put.status().message()});
      return Status::Ok();
    }
    Count(rep, *put);
    return Status::Ok();
  });
}

Result<ImportReport> ImportAttendance(OfficeDb& db, const std::string& session_id, const CsvTable& table,
                                      const std::string& source, bool add_unknown) {
  LATIH_ASSIGN_OR_RETURN(CsvColumns cols, CsvColumns::Map(table, kAttendanceColumns, source));
  LATIH_ASSIGN_OR_RETURN(auto session, db.store().Get("session", session_id));
  if (!session) return Status::NotFound(Say(Msg::kSessionMissing, {session_id}));
  return EachLine(db, table, cols, [&](const CsvRecord& rec, const std::string& nip,
                                       sync::sqlite::WriteBatch& batch, ImportReport& rep) -> Status {
    AttendInput in;
    in.session_id = session_id;
    in.nip = nip;
    if (auto s = NonEmpty(cols.Get(rec, "status"))) in.status = *s;
    in.at = NonEmpty(cols.Get(rec, "at"));
    in.note = NonEmpty(cols.Get(rec, "note"));
    in.unknown_name = NonEmpty(cols.Get(rec, "name"));
    in.method = "csv";
    in.add_unknown = add_unknown;
    auto out = db.Attend(batch, in);
    if (!out.ok()) return RefuseLine(out.status(), rec.line, rep);
    if (out->placeholder_added) ++rep.placeholders;
    if (out->created) ++rep.created;
    else if (out->changed) ++rep.updated;
    else ++rep.unchanged;
    return Status::Ok();
  });
}

// --- Scores ---------------------------------------------------------------

Result<double> ParseScore(std::string_view text) {
  std::string t = Trim(text);
  if (!t.empty() && t.back() == '%') t = Trim(std::string_view(t).substr(0, t.size() - 1));
  // Indonesian spreadsheets write a decimal comma; one separator at most.
  if (t.find(',') != std::string::npos && t.find('.') == std::string::npos) t[t.find(',')] = '.';
  bool digits = !t.empty(), point = false;
  for (char c : t) {
    if (c == '.' && !point) point = true;
    else if (c < '0' || c > '9') digits = false;
  }
  double value = digits ? std::strtod(t.c_str(), nullptr) : -1;
  if (!digits || t == "." || !(value >= 0 && value <= 100)) {
    return Status::Invalid(Say(Msg::kScoreNotNumber, {text}));
  }
  return value;
}

Result<ImportReport> ImportEvaluations(OfficeDb& db, const std::string& training_id, const CsvTable& table,
                                       const std::string& source) {
  LATIH_ASSIGN_OR_RETURN(CsvColumns cols, CsvColumns::Map(table, kEvaluationColumns, source));
  LATIH_ASSIGN_OR_RETURN(auto training, db.store().Get("training", training_id));
  if (!training) return Status::NotFound(Say(Msg::kTrainingMissingSeeList, {training_id}));
  return EachLine(db, table, cols, [&](const CsvRecord& rec, const std::string& nip,
                                       sync::sqlite::WriteBatch& batch, ImportReport& rep) -> Status {
    std::vector<EvaluateInput> scores;
    bool bad = false;
    auto score = [&](std::string_view key, std::string_view column) -> std::optional<double> {
      const std::string_view cell = cols.Get(rec, key);
      if (Trim(cell).empty()) return std::nullopt;
      auto v = ParseScore(cell);
      if (!v.ok()) {
        rep.errors.push_back({rec.line, std::string(column) + ": " + v.status().message()});
        bad = true;
        return std::nullopt;
      }
      return *v;
    };
    EvaluateInput base;
    base.training_id = training_id;
    base.nip = nip;
    base.assessed_on = NonEmpty(cols.Get(rec, "date"));
    for (std::string_view kind : {"pre_test", "post_test"}) {
      if (auto v = score(kind, kind)) {
        scores.push_back(base);
        scores.back().kind = std::string(kind);
        scores.back().score = *v;
      }
    }
    // A reaction: its score as given, else the mean of its aspects.
    std::string aspects;
    double sum = 0;
    int count = 0;
    for (std::string_view aspect : kReactionAspects) {
      if (auto v = score(aspect, aspect)) {
        aspects += (aspects.empty() ? "" : ",") + std::string(aspect) + "=" + sync::ValueToText(*v);
        sum += *v;
        ++count;
      }
    }
    std::optional<double> reaction = score("reaction", "reaksi");
    if (!reaction && count > 0) reaction = sum / count;
    if (reaction) {
      scores.push_back(base);
      scores.back().kind = "reaction";
      scores.back().score = *reaction;
      if (!aspects.empty()) scores.back().aspects = aspects;
    }
    if (bad) return Status::Ok();
    if (scores.empty()) {
      ++rep.skipped;  // listed without a score: absent from the tests
      return Status::Ok();
    }
    for (const EvaluateInput& in : scores) {
      auto out = db.Evaluate(batch, in);
      if (!out.ok()) return RefuseLine(out.status(), rec.line, rep);
      Count(rep, out->put);
    }
    return Status::Ok();
  });
}

// --- SKP -------------------------------------------------------------------

namespace {

// The year as a number; 0 (which RecordSkp refuses, naming it) when it is not one.
int YearOf(std::string_view text) {
  const std::string t = Trim(text);
  if (t.size() != 4 || t.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::atoi(t.c_str());
}

// The file's predikat, when it has one, must be what the ratings give: a
// differing one means the export and the regulation's matrix disagree, and
// the person importing has to see which.
std::optional<std::string> PredicateProblem(std::string_view given, const SkpOutcome& out) {
  if (Trim(given).empty()) return std::nullopt;
  auto predicate = ParseSkpPredicate(given);
  if (!predicate.ok()) return predicate.status().message();
  if (*predicate == out.predicate) return std::nullopt;
  return Say(Msg::kSkpPredicateMismatch,
             {Trim(given), domain::SkpRatingLabel(out.hasil_kerja), domain::SkpRatingLabel(out.perilaku_kerja),
              domain::SkpPredicateLabel(out.predicate)});
}

}  // namespace

Result<ImportReport> ImportSkp(OfficeDb& db, const CsvTable& table, const std::string& source) {
  LATIH_ASSIGN_OR_RETURN(CsvColumns cols, CsvColumns::Map(table, kSkpColumns, source));
  std::set<std::string> seen;  // NIP, year and period
  return EachLine(
      db, table, cols,
      [&](const CsvRecord& rec, const std::string& nip, sync::sqlite::WriteBatch& batch, ImportReport& rep) -> Status {
        SkpInput in;
        in.nip = nip;
        const std::string_view year = cols.Get(rec, "year");
        in.year = YearOf(year);
        if (in.year == 0) {
          rep.errors.push_back({rec.line, Say(Msg::kSkpBadYear, {year})});
          return Status::Ok();
        }
        auto period = ParseSkpPeriod(cols.Get(rec, "period"));
        if (!period.ok()) return RefuseLine(period.status(), rec.line, rep);
        if (!seen.insert(nip + " " + std::to_string(in.year) + " " + *period).second) {
          rep.errors.push_back({rec.line, Say(Msg::kSkpTwiceInFile, {nip, std::to_string(in.year), *period})});
          return Status::Ok();
        }
        in.period = *period;
        in.hasil_kerja = cols.Get(rec, "hasil_kerja");
        in.perilaku_kerja = cols.Get(rec, "perilaku_kerja");
        in.assessed_on = NonEmpty(cols.Get(rec, "assessed_on"));
        in.assessor_nip = NonEmpty(cols.Get(rec, "assessor_nip"));
        in.assessor_name = NonEmpty(cols.Get(rec, "assessor_name"));
        // Written, then checked against the file's predikat: a refused line
        // refuses the file, whose batch then never commits.
        auto out = db.RecordSkp(batch, in);
        if (!out.ok()) return RefuseLine(out.status(), rec.line, rep);
        if (auto problem = PredicateProblem(cols.Get(rec, "predicate"), *out)) {
          rep.errors.push_back({rec.line, *problem});
          return Status::Ok();
        }
        Count(rep, out->put);
        return Status::Ok();
      },
      false);
}

}  // namespace latih::client
