#include "client/lib/report_format.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "client/lib/messages.h"
#include "client/lib/csv.h"
#include "sync/domain/nip.h"
#include "sync/domain/skp.h"

namespace latih::client {

using sync::Value;

namespace {

std::string CellText(const Value& v) {
  if (auto* d = std::get_if<double>(&v)) return FormatNumber(*d);
  return sync::ValueToText(v);
}

nlohmann::ordered_json CellJson(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return std::round(*d * 1e6) / 1e6;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

// Display width in terminal columns (UTF-8 continuation bytes take none).
size_t Width(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

void RenderText(const Table& t, std::ostream& out) {
  if (!t.title.empty()) out << t.title << "\n";
  std::vector<size_t> w(t.columns.size());
  for (size_t i = 0; i < t.columns.size(); ++i) w[i] = Width(t.columns[i]);
  for (const auto& r : t.rows) {
    for (size_t i = 0; i < r.size(); ++i) w[i] = std::max(w[i], Width(CellText(r[i])));
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string s;
    for (size_t i = 0; i < cells.size(); ++i) {
      s += cells[i];
      if (i + 1 < cells.size()) s += std::string(w[i] - Width(cells[i]) + 2, ' ');
    }
    out << s << "\n";
  };
  line(t.columns);
  std::vector<std::string> rule;
  for (size_t x : w) rule.push_back(std::string(x, '-'));
  line(rule);
  for (const auto& r : t.rows) {
    std::vector<std::string> cells;
    for (const auto& v : r) cells.push_back(CellText(v));
    line(cells);
  }
  for (const auto& f : t.footer) out << f << "\n";
}

Value Opt(const std::optional<double>& v) { return v ? Value(*v) : Value(); }

}  // namespace

std::string FormatNumber(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

void Render(const Table& t, OutputFormat format, std::ostream& out) {
  if (format == OutputFormat::kText) return RenderText(t, out);
  if (format == OutputFormat::kCsv) {
    WriteCsvRow(out, t.columns);
    for (const auto& r : t.rows) {
      std::vector<std::string> cells;
      for (const auto& v : r) cells.push_back(CellText(v));
      WriteCsvRow(out, cells);
    }
    return;
  }
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& r : t.rows) {
    nlohmann::ordered_json obj = nlohmann::ordered_json::object();
    for (size_t i = 0; i < r.size(); ++i) obj[t.columns[i]] = CellJson(r[i]);
    arr.push_back(std::move(obj));
  }
  out << arr.dump(2) << "\n";
}

Table EmployeesTable(const std::vector<EmployeeRecord>& rows) {
  Table t{{"nip", "nama", "jabatan", "golongan", "jenis", "aktif", "perlu_tinjau", "email"}, {}, "", {}};
  for (const auto& e : rows) {
    t.rows.push_back(
        {e.nip, e.name, e.position, e.rank, e.type, int64_t{e.active}, int64_t{e.needs_review}, e.email});
  }
  return t;
}

Table SkpTable(const std::vector<SkpEntry>& rows, std::optional<int> year) {
  Table t{{"nip", "nama", "tahun", "periode", "hasil_kerja", "perilaku_kerja", "predikat"}, {}, "SKP", {}};
  if (year) t.title += " " + std::to_string(*year);
  int count[5] = {};  // by SkpPredicate - 1
  for (const auto& r : rows) {
    t.rows.push_back({r.nip, r.name, r.year, r.period, r.hasil_kerja, r.perilaku_kerja, r.predicate});
    for (int p = 1; p <= 5; ++p) count[p - 1] += r.predicate == domain::SkpPredicateCode(domain::SkpPredicate(p));
  }
  std::string spread;
  for (int p = 1; p <= 5; ++p) {
    spread += (p > 1 ? ", " : "") + std::string(domain::SkpPredicateLabel(domain::SkpPredicate(p))) + " " +
              std::to_string(count[p - 1]);
  }
  t.footer.push_back(Say(Msg::kSkpFooter, {std::to_string(rows.size()), spread}));
  return t;
}

Table JpTable(const std::vector<sync::sqlite::JpRow>& rows, int year, const domain::JpPolicy& policy) {
  Table t{{"nip", "nama", "kantor", "jenis", "jp", "sesi", "pelatihan", "jp_teknis", "jp_manajerial",
           "jp_sosial_kultural", "status"}, {}, "JP " + std::to_string(year), {}};
  int below = 0, above = 0;
  for (const auto& r : rows) {
    t.rows.push_back({r.nip, r.name, r.office_id, std::string(domain::EmploymentTypeName(r.type)), r.jp,
                      int64_t{r.sessions}, int64_t{r.trainings}, r.jp_teknis, r.jp_manajerial,
                      r.jp_sosial_kultural, std::string(domain::JpStandingCode(r.standing))});
    below += r.standing == domain::JpStanding::kBelowMinimum;
    above += r.standing == domain::JpStanding::kAboveCap;
  }
  t.footer.push_back(Say(Msg::kJpFooter, {std::to_string(rows.size()), std::to_string(below),
                                          FormatNumber(policy.pns_minimum_jp), std::to_string(above),
                                          FormatNumber(policy.pppk_cap_jp)}));
  return t;
}

Table RemindersTable(const sync::sqlite::ReminderList& list, int year, const std::string& today) {
  Table t{{"nip", "nama", "jp", "jp_kurang", "saran_pelatihan", "jp_saran", "tertutup"}, {},
          Say(Msg::kRemindersTitle, {std::to_string(year), today}), {}};
  int covered = 0;
  for (const auto& p : list.people) {
    std::string titles;
    for (size_t i : p.suggested) {
      const auto& u = list.upcoming[i];
      titles += (titles.empty() ? "" : "; ") + u.title + " (" + u.start_date + ", " + FormatNumber(u.jp) + " JP)";
    }
    t.rows.push_back({p.person.nip, p.person.name, p.person.jp, p.jp_needed, titles, p.jp_suggested,
                      std::string(p.covered ? "ya" : "tidak")});  // a code, like the columns' names
    covered += p.covered;
  }
  t.footer.push_back(Say(Msg::kRemindersFooter, {std::to_string(list.people.size()), std::to_string(covered),
                                                 std::to_string(list.upcoming.size())}));
  return t;
}

Table AttendanceTable(const sync::sqlite::TrainingAttendance& rep) {
  Table t{{"sesi", "tanggal", "mulai", "jp", "peserta", "hadir_total", "hadir", "terlambat", "pulang_awal",
           "izin", "sakit", "dinas_luar", "cuti", "alpa", "persen_hadir"}, {}, rep.title, {}};
  for (const auto& s : rep.by_session) {
    t.rows.push_back({s.session_id, s.date, s.start_time, s.jp_credit, int64_t{s.participants},
                      int64_t{s.attended}, int64_t{s.hadir}, int64_t{s.terlambat}, int64_t{s.pulang_awal},
                      int64_t{s.izin}, int64_t{s.sakit}, int64_t{s.dinas_luar}, int64_t{s.cuti},
                      int64_t{s.alpa}, s.rate * 100});
  }
  t.footer.push_back(Say(Msg::kAttendanceFooter, {std::to_string(rep.participants), std::to_string(rep.sessions),
                                                  FormatNumber(rep.rate * 100)}));
  return t;
}

Table EvaluationTable(const sync::sqlite::EvaluationSummary& r) {
  Table t{{"ukuran", "n", "nilai"}, {}, r.title, {}};
  t.rows.push_back({std::string("pre_test_rata2"), int64_t{r.n_pre}, Opt(r.mean_pre)});
  t.rows.push_back({std::string("post_test_rata2"), int64_t{r.n_post}, Opt(r.mean_post)});
  t.rows.push_back({std::string("pasangan_pre_rata2"), int64_t{r.n_paired}, Opt(r.paired_pre)});
  t.rows.push_back({std::string("pasangan_post_rata2"), int64_t{r.n_paired}, Opt(r.paired_post)});
  t.rows.push_back({std::string("gain"), int64_t{r.n_paired}, Opt(r.gain)});
  t.rows.push_back({std::string("normalized_gain"), int64_t{r.n_paired}, Opt(r.normalized_gain)});
  t.rows.push_back({std::string("reaksi_rata2"), int64_t{r.n_reaction}, Opt(r.mean_reaction)});
  for (const auto& a : r.reaction_aspects) {
    t.rows.push_back({"reaksi_" + a.aspect, int64_t{a.n}, a.mean});
  }
  t.rows.push_back({std::string("perilaku_rata2"), int64_t{r.n_behaviour}, Opt(r.mean_behaviour)});
  t.rows.push_back({std::string("hasil_rata2"), int64_t{r.n_result}, Opt(r.mean_result)});
  return t;
}

Table IkmTable(const std::vector<sync::sqlite::IkmRow>& rows, const std::string& period) {
  Table t{{"kantor", "nama", "periode", "responden"}, {}, "IKM " + period, {}};
  for (int i = 1; i <= domain::kSkmUnsurCount; ++i) t.columns.push_back("nrr_u" + std::to_string(i));
  for (const char* c : {"ikm", "mutu", "kinerja", "ikm_bobot_0111"}) t.columns.push_back(c);
  for (const auto& r : rows) {
    std::vector<Value> row = {r.office_id, r.office_name, r.period, r.ikm.respondents};
    for (double nrr : r.ikm.nrr) row.push_back(std::round(nrr * 10000) / 10000);
    row.push_back(r.ikm.ikm);
    row.push_back(std::string(1, r.ikm.category));
    row.push_back(std::string(r.ikm.category_label));
    row.push_back(r.ikm.ikm_legacy_0111);
    t.rows.push_back(std::move(row));
  }
  if (rows.empty()) t.footer.push_back(Say(Msg::kIkmNoResponses, {period}));
  return t;
}

Table StatusTable(const StatusInfo& s) {
  Table t{{"kunci", "nilai"}, {}, "", {}};
  t.rows.push_back({std::string("database"), s.path});
  t.rows.push_back({std::string("kantor"), s.office_id + " " + s.office_name});
  t.rows.push_back({std::string("versi_skema"), int64_t{s.schema_version}});
  t.rows.push_back({std::string("node"), s.node_id});
  for (const auto& [table, n] : s.row_counts) t.rows.push_back({"baris_" + table, n});
  t.rows.push_back({std::string("perubahan_belum_sinkron"), s.pending_changes});
  t.rows.push_back({std::string("sinkron_terakhir"),
                    s.last_sync_at.empty() ? Say(Msg::kStatusNever, {}) : s.last_sync_at});
  t.rows.push_back({std::string("konflik_terbuka"), s.open_conflicts});
  t.rows.push_back({std::string("selisih_jam_ms"), s.clock_offset_ms});
  return t;
}

Table RowsTable(const sync::sqlite::Store& store, const std::string& table,
                const std::vector<sync::Row>& rows, const std::vector<std::string>& columns) {
  const sync::TableDef* td = store.catalog().Find(table);
  Table t{columns, {}, "", {}};
  for (const auto& r : rows) {
    std::vector<Value> row;
    for (const auto& c : columns) {
      int i = td->ColumnIndex(c);
      row.push_back(c == "id" ? Value(r.id) : i < 0 ? Value() : r.values[i]);
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

Result<Table> ExportTable(sync::sqlite::Store& store, const std::string& table) {
  const sync::TableDef* td = store.catalog().Find(table);
  if (!td) {
    std::string known;
    for (const auto& t : store.catalog().tables()) known += (known.empty() ? "" : ", ") + t.name;
    return Status::Invalid(Say(Msg::kExportUnknownTable, {table, known}));
  }
  LATIH_ASSIGN_OR_RETURN(auto rows, store.Select(table, std::nullopt));
  Table t;
  t.columns.push_back("id");
  for (const auto& c : td->columns) t.columns.push_back(c.name);
  // The table's generated columns (skp_assessment.predicate) are derived,
  // not replicated, but are part of what a reader of the table expects.
  std::vector<std::string> generated;
  {
    LATIH_ASSIGN_OR_RETURN(auto cols, store.db().PrepareOwned(
        "SELECT name FROM pragma_table_xinfo(?1) WHERE hidden IN (2, 3) ORDER BY cid"));
    cols->Bind(1, table);
    for (;;) {
      LATIH_ASSIGN_OR_RETURN(bool row, cols->Step());
      if (!row) break;
      generated.push_back(cols->ColumnText(0));
    }
  }
  std::unordered_map<std::string, std::vector<Value>> derived;
  if (!generated.empty()) {
    std::string sql = "SELECT id";
    for (const auto& g : generated) sql += ", \"" + g + "\"";
    LATIH_ASSIGN_OR_RETURN(auto values, store.db().PrepareOwned(sql + " FROM \"" + table + "\""));
    for (;;) {
      LATIH_ASSIGN_OR_RETURN(bool row, values->Step());
      if (!row) break;
      auto& v = derived[values->ColumnText(0)];
      for (size_t i = 0; i < generated.size(); ++i) v.push_back(values->Column(static_cast<int>(i + 1)));
    }
    t.columns.insert(t.columns.end(), generated.begin(), generated.end());
  }
  for (auto& r : rows) {
    std::vector<Value> row = {r.id};
    row.insert(row.end(), r.values.begin(), r.values.end());
    if (!generated.empty()) {
      const auto& v = derived[r.id];
      row.insert(row.end(), v.begin(), v.end());
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

}  // namespace latih::client
