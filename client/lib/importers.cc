#include "client/lib/importers.h"

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
};

const CsvColumnSpec kAttendanceColumns[] = {
    {"nip", {"nip", "nip baru", "ni pppk"}, true},
    {"status", {"status", "keterangan", "kehadiran"}, false},
    {"at", {"waktu", "at", "jam", "time", "jam hadir"}, false},
    {"note", {"catatan", "note", "notes"}, false},
    {"name", {"nama", "name"}, false},
};

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

// Checks the NIP column and duplicates; returns the normalized NIP.
std::optional<std::string> CheckNip(const CsvColumns& cols, const CsvRecord& rec,
                                    std::set<std::string>& seen, std::vector<LineError>& errors) {
  auto nip = ParseNipSaid(cols.Get(rec, "nip"));
  if (!nip.ok()) {
    errors.push_back({rec.line, nip.status().message()});
    return std::nullopt;
  }
  if (!seen.insert(nip->nip).second) {
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

}  // namespace

Result<ImportReport> ImportRoster(OfficeDb& db, const CsvTable& table, const std::string& source) {
  LATIH_ASSIGN_OR_RETURN(CsvColumns cols, CsvColumns::Map(table, kRosterColumns, source));
  ImportReport rep;
  std::set<std::string> seen;
  LATIH_ASSIGN_OR_RETURN(auto batch, db.store().BeginWrite());
  for (const auto& rec : table.records) {
    if (IsEmptyRecord(rec)) continue;
    ++rep.records;
    if (!CheckWidth(table, rec, rep.errors)) continue;
    auto nip = CheckNip(cols, rec, seen, rep.errors);
    if (!nip) continue;
    EmployeeInput in{*nip, NonEmpty(cols.Get(rec, "name")), NonEmpty(cols.Get(rec, "position")),
                     NonEmpty(cols.Get(rec, "rank")), NonEmpty(cols.Get(rec, "type")), std::nullopt};
    if (auto a = NonEmpty(cols.Get(rec, "active"))) {
      in.active = ParseBool(*a);
      if (!in.active) {
        rep.errors.push_back({rec.line, Say(Msg::kActiveNotYaTidak, {*a})});
        continue;
      }
    }
    LATIH_ASSIGN_OR_RETURN(auto existing, db.FindEmployee(*nip));
    if (!existing && !in.name) {
      rep.errors.push_back({rec.line, Say(Msg::kNewNipNoName, {*nip})});
      continue;
    }
    auto put = db.PutEmployee(*batch, in, false, false);
    if (!put.ok()) {
      if (put.status().code() != StatusCode::kInvalidArgument) return put.status();
      rep.errors.push_back({rec.line, put.status().message()});
      continue;
    }
    Count(rep, *put);
  }
  if (rep.errors.empty()) LATIH_RETURN_IF_ERROR(batch->Commit());
  return rep;  // with errors the batch rolls back here
}

Result<ImportReport> ImportAttendance(OfficeDb& db, const std::string& session_id, const CsvTable& table,
                                      const std::string& source, bool add_unknown) {
  LATIH_ASSIGN_OR_RETURN(CsvColumns cols, CsvColumns::Map(table, kAttendanceColumns, source));
  LATIH_ASSIGN_OR_RETURN(auto session, db.store().Get("session", session_id));
  if (!session) return Status::NotFound(Say(Msg::kSessionMissing, {session_id}));
  ImportReport rep;
  std::set<std::string> seen;
  LATIH_ASSIGN_OR_RETURN(auto batch, db.store().BeginWrite());
  for (const auto& rec : table.records) {
    if (IsEmptyRecord(rec)) continue;
    ++rep.records;
    if (!CheckWidth(table, rec, rep.errors)) continue;
    auto nip = CheckNip(cols, rec, seen, rep.errors);
    if (!nip) continue;
    AttendInput in;
    in.session_id = session_id;
    in.nip = *nip;
    if (auto s = NonEmpty(cols.Get(rec, "status"))) in.status = *s;
    in.at = NonEmpty(cols.Get(rec, "at"));
    in.note = NonEmpty(cols.Get(rec, "note"));
    in.unknown_name = NonEmpty(cols.Get(rec, "name"));
    in.method = "csv";
    in.add_unknown = add_unknown;
    auto out = db.Attend(*batch, in);
    if (!out.ok()) {
      const StatusCode code = out.status().code();
      if (code != StatusCode::kInvalidArgument && code != StatusCode::kNotFound) return out.status();
      rep.errors.push_back({rec.line, out.status().message()});
      continue;
    }
    if (out->placeholder_added) ++rep.placeholders;
    if (out->created) ++rep.created;
    else if (out->changed) ++rep.updated;
    else ++rep.unchanged;
  }
  if (rep.errors.empty()) LATIH_RETURN_IF_ERROR(batch->Commit());
  return rep;
}

}  // namespace latih::client
