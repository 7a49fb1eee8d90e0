#include "server/core/reports.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "sync/domain/ikm.h"
#include "sync/hlc.h"
#include "sync/sqlite/costs.h"
#include "sync/sqlite/impact.h"
#include "sync/sqlite/reminders.h"
#include "sync/sqlite/reports.h"
#include "sync/utf8.h"

namespace latih::server {
namespace {

using nlohmann::json;
using sync::sqlite::Stmt;

json TextOrNull(const Stmt& s, int i) { return s.ColumnIsNull(i) ? json(nullptr) : json(s.ColumnText(i)); }

double Round2(double v) { return std::round(v * 100) / 100; }

json FromValue(const sync::Value& v) {
  if (auto* i = std::get_if<int64_t>(&v)) return *i;
  if (auto* d = std::get_if<double>(&v)) return *d;
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  return nullptr;
}

// "2026-03-02" -> "02-03-2026" (SIASN's date form).
std::string SiasnDate(const std::string& iso) {
  if (iso.size() != 10) return iso;
  return iso.substr(8, 2) + "-" + iso.substr(5, 2) + "-" + iso.substr(0, 4);
}

std::string IsoUtc(int64_t unix_ms) {
  const time_t secs = static_cast<time_t>(unix_ms / 1000);
  tm t{};
  gmtime_r(&secs, &t);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &t);
  return buf;
}

// "2026-11-28T10:00:00Z" (as SQLite's strftime writes it) -> unix ms; -1 if not that form.
int64_t ParseIsoUtc(const std::string& s) {
  tm t{};
  if (s.size() < 19 || !strptime(s.substr(0, 19).c_str(), "%Y-%m-%dT%H:%M:%S", &t)) return -1;
  return static_cast<int64_t>(timegm(&t)) * 1000;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Unescape(std::string_view in) {
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out += ' ';
    } else if (in[i] == '%') {
      const int hi = i + 2 < in.size() ? HexDigit(in[i + 1]) : -1;
      const int lo = i + 2 < in.size() ? HexDigit(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) return Status::Invalid("a bad %-escape in the query at '" + std::string(in.substr(i, 3)) + "'");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// A text cell as CSV: quoted when needed, defused when a spreadsheet would
// run it as a formula.
void CsvText(std::string& out, const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' ||
                        cell[0] == '\r')) {
    cell.insert(0, "'");
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) {
    out += cell;
    return;
  }
  out += '"';
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

std::string CsvNumber(double v) {
  if (std::isnan(v) || std::isinf(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

void CsvCell(std::string& out, const json& v) {
  if (v.is_null()) return;
  if (v.is_boolean()) {
    out += v.get<bool>() ? "true" : "false";
  } else if (v.is_number_integer()) {
    out += std::to_string(v.get<int64_t>());
  } else if (v.is_number()) {
    out += CsvNumber(v.get<double>());
  } else if (v.is_string()) {
    CsvText(out, v.get<std::string>());
  } else {
    CsvText(out, v.dump());
  }
}

std::string StandingCode(domain::JpStanding s) { return std::string(domain::JpStandingCode(s)); }

std::string TypeCode(domain::EmploymentType t) { return t == domain::EmploymentType::kPppk ? "pppk" : "pns"; }

struct OfficeInfo {
  std::string name, level;
};

Result<std::unordered_map<std::string, OfficeInfo>> LoadOffices(sync::sqlite::Store& store) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare("SELECT id, name, level FROM office"));
  std::unordered_map<std::string, OfficeInfo> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    out[s->ColumnText(0)] = {s->ColumnText(1), s->ColumnText(2)};
  }
  s->Reset();
  return out;
}

json OfficeName(const std::unordered_map<std::string, OfficeInfo>& offices, const std::string& id) {
  auto it = offices.find(id);
  return it == offices.end() ? json(nullptr) : json(it->second.name);
}

}  // namespace

Result<QueryParams> ParseQuery(std::string_view query) {
  QueryParams out;
  size_t at = 0;
  while (at < query.size()) {
    size_t end = query.find('&', at);
    if (end == std::string_view::npos) end = query.size();
    const std::string_view pair = query.substr(at, end - at);
    at = end + 1;
    if (pair.empty()) continue;
    const size_t eq = pair.find('=');
    LATIH_ASSIGN_OR_RETURN(std::string name, Unescape(pair.substr(0, eq)));
    LATIH_ASSIGN_OR_RETURN(std::string value,
                           Unescape(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1)));
    LATIH_RETURN_IF_ERROR(sync::CheckUtf8(name, "a query parameter's name"));
    LATIH_RETURN_IF_ERROR(sync::CheckUtf8(value, "query parameter " + name));
    if (!out.emplace(name, value).second) return Status::Invalid("query parameter " + name + " is given twice");
  }
  return out;
}

// Written directly, row by row (a city's JP list is 100,000 objects: building
// them as JSON objects first took as long as the report). A head field
// named like a table is left out: the table is the field.
std::string RenderJson(const Report& report) {
  auto dump = [](const json& v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); };
  std::string out = "{";
  bool first = true;
  for (const auto& item : report.head.items()) {
    const std::string& key = item.key();
    const bool shadowed = std::any_of(report.tables.begin(), report.tables.end(),
                                      [&key](const ReportTable& t) { return t.name == key; });
    if (shadowed) continue;
    out += first ? "" : ",";
    first = false;
    out += dump(json(key)) + ":" + dump(item.value());
  }
  for (const auto& t : report.tables) {
    out += first ? "" : ",";
    first = false;
    out += dump(json(t.name)) + ":[";
    std::vector<std::string> keys;
    for (const auto& c : t.columns) keys.push_back(dump(json(c)) + ":");
    for (size_t r = 0; r < t.rows.size(); ++r) {
      out += r ? ",{" : "{";
      for (size_t i = 0; i < keys.size(); ++i) {
        if (i) out += ',';
        out += keys[i];
        out += dump(t.rows[r][i]);
      }
      out += '}';
    }
    out += ']';
  }
  out += '}';
  return out;
}

Result<std::string> RenderCsv(const Report& report, const std::string& table) {
  const ReportTable* t = nullptr;
  for (const auto& candidate : report.tables) {
    if (table.empty() || candidate.name == table) {
      t = &candidate;
      break;
    }
  }
  if (t == nullptr) {
    std::string names;
    for (const auto& c : report.tables) names += (names.empty() ? "" : ", ") + c.name;
    return Status::Invalid("report " + report.name + " has no table '" + table + "' (it has: " + names + ")");
  }
  // An array column expands into <name>_1.. as wide as its widest cell.
  std::vector<size_t> widths(t->columns.size(), 0);
  for (const auto& r : t->rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (r[i].is_array()) widths[i] = std::max(widths[i], r[i].size());
    }
  }
  std::string out = "\xEF\xBB\xBF";
  for (size_t i = 0; i < t->columns.size(); ++i) {
    if (widths[i] == 0) {
      if (i) out += ',';
      CsvText(out, t->columns[i]);
      continue;
    }
    for (size_t k = 0; k < widths[i]; ++k) {
      if (i || k) out += ',';
      CsvText(out, t->columns[i] + "_" + std::to_string(k + 1));
    }
  }
  out += "\r\n";
  for (const auto& r : t->rows) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (widths[i] == 0) {
        if (i) out += ',';
        CsvCell(out, r[i]);
        continue;
      }
      for (size_t k = 0; k < widths[i]; ++k) {
        if (i || k) out += ',';
        if (r[i].is_array() && k < r[i].size()) CsvCell(out, r[i][k]);
      }
    }
    out += "\r\n";
  }
  return out;
}

std::string CsvFileName(const Report& report, const QueryParams& params) {
  std::string name = report.name;
  for (const char* key : {"year", "period", "office", "table"}) {
    auto it = params.find(key);
    if (it != params.end() && !it->second.empty()) name += "-" + it->second;
  }
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') c = '_';
  }
  return name + ".csv";
}

Result<int> Reports::Year(const QueryParams& params) {
  auto it = params.find("year");
  if (it == params.end() || it->second.empty()) {
    const time_t secs = static_cast<time_t>(clock_.NowUnixMs() / 1000);
    tm t{};
    gmtime_r(&secs, &t);
    return t.tm_year + 1900;
  }
  const std::string& y = it->second;
  if (y.size() != 4 || y.find_first_not_of("0123456789") != std::string::npos || y < "2000" || y > "2100") {
    return Status::Invalid("year must be a year 2000-2100, not '" + y + "'");
  }
  return std::stoi(y);
}

Result<Reports::Page> Reports::Paging(const QueryParams& params, int64_t max_rows) {
  Page page{0, max_rows};
  for (auto [name, target, max] : {std::tuple{"offset", &page.offset, int64_t{1'000'000'000}},
                                   std::tuple{"limit", &page.limit, max_rows}}) {
    auto it = params.find(name);
    if (it == params.end() || it->second.empty()) continue;
    const std::string& v = it->second;
    if (v.size() > 10 || v.find_first_not_of("0123456789") != std::string::npos || std::stoll(v) > max ||
        (std::string_view(name) == "limit" && std::stoll(v) == 0)) {
      return Status::Invalid(std::string(name) + " must be a whole number " +
                             (std::string_view(name) == "limit" ? "1-" + std::to_string(max_rows) : "0 or more") +
                             ", not '" + v + "'");
    }
    *target = std::stoll(v);
  }
  return page;
}

Result<std::optional<std::string>> Reports::Office(const QueryParams& params) {
  auto it = params.find("office");
  if (it == params.end() || it->second.empty()) return std::optional<std::string>();
  LATIH_ASSIGN_OR_RETURN(auto found, store_.Get("office", it->second));
  if (!found) return Status::Invalid("office '" + it->second + "' does not exist (use a Kemendagri code)");
  return std::optional<std::string>(it->second);
}

Result<Report> Reports::Reminders(const QueryParams& params) {
  LATIH_ASSIGN_OR_RETURN(int year, Year(params));
  LATIH_ASSIGN_OR_RETURN(auto office, Office(params));
  LATIH_ASSIGN_OR_RETURN(Page page, Paging(params, kMaxRows));
  std::string today;
  if (auto it = params.find("today"); it != params.end() && !it->second.empty()) {
    today = it->second;
  } else {  // the city's date: the server runs in its time zone (docs/DEPLOY.md)
    const time_t secs = static_cast<time_t>(clock_.NowUnixMs() / 1000);
    tm t{};
    localtime_r(&secs, &t);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &t);
    today = buf;
  }
  LATIH_ASSIGN_OR_RETURN(auto rows, summary_ ? summary_->Jp(store_, year, office, policy_)
                                             : sync::sqlite::JpReport(store_, year, office, policy_));
  auto list = sync::sqlite::ReminderReport(store_, year, today, rows, policy_);
  if (!list.ok()) return Status::Invalid("today must be a date YYYY-MM-DD, not '" + today + "'");
  LATIH_ASSIGN_OR_RETURN(auto offices, LoadOffices(store_));
  Report r;
  r.name = "reminders";
  r.head = {{"year", year}, {"today", today}, {"minimum_jp", policy_.pns_minimum_jp},
            {"total", list->people.size()}, {"offset", page.offset}, {"limit", page.limit}};
  ReportTable people{"people",
                     {"nip", "name", "office_id", "office_name", "jp", "jp_needed", "suggested", "jp_suggested",
                      "covered"},
                     {}};
  ReportTable upcoming{"upcoming", {"training_id", "title", "office_id", "office_name", "start_date", "end_date", "jp"},
                       {}};
  ReportTable summary{"offices", {"office_id", "office_name", "below_minimum", "jp_needed", "covered"}, {}};
  for (const auto& t : list->upcoming) {
    const bool global = t.office_id.empty();  // null office, as in the trainings report
    upcoming.rows.push_back({t.id, t.title, global ? json() : json(t.office_id),
                             global ? json() : OfficeName(offices, t.office_id), t.start_date, t.end_date,
                             Round2(t.jp)});
  }
  struct Sum {
    int below = 0, covered = 0;
    double needed = 0;
  };
  std::vector<std::pair<std::string, Sum>> sums;  // people come ordered by office
  for (size_t i = 0; i < list->people.size(); ++i) {
    const auto& p = list->people[i];
    if (page.Holds(static_cast<int64_t>(i))) {
      std::string titles;
      for (size_t k : p.suggested) titles += (titles.empty() ? "" : "; ") + list->upcoming[k].title;
      people.rows.push_back({p.person.nip, p.person.name, p.person.office_id,
                             OfficeName(offices, p.person.office_id), Round2(p.person.jp), Round2(p.jp_needed), titles,
                             Round2(p.jp_suggested), p.covered});
    }
    if (sums.empty() || sums.back().first != p.person.office_id) sums.emplace_back(p.person.office_id, Sum{});
    Sum& s = sums.back().second;
    ++s.below;
    s.covered += p.covered;
    s.needed += p.jp_needed;
  }
  for (const auto& [id, s] : sums) {
    summary.rows.push_back({id, OfficeName(offices, id), s.below, Round2(s.needed), s.covered});
  }
  r.tables = {std::move(people), std::move(upcoming), std::move(summary)};
  return r;
}

Result<Report> Reports::Impact(const QueryParams& params) {
  LATIH_ASSIGN_OR_RETURN(int year, Year(params));
  LATIH_ASSIGN_OR_RETURN(auto office, Office(params));
  int years = 5;
  if (auto it = params.find("years"); it != params.end() && !it->second.empty()) {
    const std::string& v = it->second;
    if (v.size() > 2 || v.find_first_not_of("0123456789") != std::string::npos || std::stoi(v) < 1 ||
        std::stoi(v) > 20) {
      return Status::Invalid("years must be a whole number 1-20, not '" + v + "'");
    }
    years = std::stoi(v);
  }
  const sync::sqlite::JpOfYear jp = [&](int y) {
    return summary_ ? summary_->Jp(store_, y, office, policy_) : sync::sqlite::JpReport(store_, y, office, policy_);
  };
  LATIH_ASSIGN_OR_RETURN(auto rows, sync::sqlite::ImpactByYear(store_, year - years + 1, year, office, jp));
  LATIH_ASSIGN_OR_RETURN(auto offices, LoadOffices(store_));
  Report r;
  r.name = "impact";
  r.head = {{"from", year - years + 1}, {"to", year}, {"minimum_jp", policy_.pns_minimum_jp}};
  ReportTable table{"years",
                    {"office_id", "office_name", "year", "employees", "pns", "pns_meeting", "share_meeting", "total_jp",
                     "mean_jp", "respondents", "ikm", "ikm_category", "skp_assessed", "skp_sangat_baik", "skp_baik",
                     "skp_butuh_perbaikan", "skp_kurang", "skp_sangat_kurang"},
                    {}};
  for (const auto& y : rows) {
    const bool city = y.office_id.empty();
    table.rows.push_back({city ? json() : json(y.office_id), city ? json() : OfficeName(offices, y.office_id), y.year,
                          y.employees, y.pns, y.pns_meeting,
                          y.pns ? json(std::round(10000.0 * y.pns_meeting / y.pns) / 10000) : json(),
                          Round2(y.total_jp), y.employees ? json(Round2(y.total_jp / y.employees)) : json(),
                          y.ikm ? y.ikm->respondents : 0, y.ikm ? json(y.ikm->ikm) : json(),
                          y.ikm ? json(std::string(1, y.ikm->category)) : json(), y.skp_assessed, y.skp[0], y.skp[1],
                          y.skp[2], y.skp[3], y.skp[4]});
  }
  r.tables = {std::move(table)};
  return r;
}

Result<Report> Reports::Costs(const QueryParams& params) {
  LATIH_ASSIGN_OR_RETURN(int year, Year(params));
  LATIH_ASSIGN_OR_RETURN(auto office, Office(params));
  LATIH_ASSIGN_OR_RETURN(sync::sqlite::CostReport costs, sync::sqlite::CostsOfYear(store_, year, office));
  LATIH_ASSIGN_OR_RETURN(auto offices, LoadOffices(store_));
  auto rupiah = [](const std::optional<double>& v) { return v ? json(std::llround(*v)) : json(); };
  auto share = [](const std::optional<double>& v) { return v ? json(std::round(10000.0 * *v) / 10000) : json(); };
  auto sums = [&](const sync::sqlite::CostLine& l) {
    return std::vector<json>{l.trainings, l.with_actual, l.planned, l.actual, share(l.realization),
                             l.participants, Round2(l.jp), rupiah(l.per_participant), rupiah(l.per_jp)};
  };
  const std::vector<std::string> kSums = {"trainings", "with_actual", "planned", "actual", "realization",
                                          "participants", "jp", "per_participant", "per_jp"};
  auto with = [&](std::vector<std::string> head) {
    head.insert(head.end(), kSums.begin(), kSums.end());
    return head;
  };
  Report r;
  r.name = "costs";
  r.head = {{"year", year}, {"currency", "IDR"}};
  r.head.update(json::object({{"total", json::object()}}));
  const auto total = sums(costs.total);
  for (size_t i = 0; i < kSums.size(); ++i) r.head["total"][kSums[i]] = total[i];
  ReportTable trainings{"trainings",
                        {"training_id", "title", "office_id", "office_name", "competency", "route", "funding_source",
                         "planned", "actual", "realization", "participants", "jp", "per_participant", "per_jp"},
                        {}};
  for (const auto& t : costs.trainings) {
    trainings.rows.push_back({t.key, t.title, t.office_id.empty() ? json() : json(t.office_id),
                              t.office_id.empty() ? json("BKPSDM") : OfficeName(offices, t.office_id), t.competency,
                              t.route, t.funding_source.empty() ? json() : json(t.funding_source),
                              t.with_planned ? json(t.planned) : json(),
                              t.with_actual ? json(t.actual) : json(), share(t.realization), t.participants,
                              Round2(t.jp), rupiah(t.per_participant), rupiah(t.per_jp)});
  }
  ReportTable by_office{"by_office", with({"office_id", "office_name"}), {}};
  for (const auto& l : costs.by_office) {
    std::vector<json> row = {l.key.empty() ? json() : json(l.key),
                             l.key.empty() ? json("BKPSDM") : OfficeName(offices, l.key)};
    for (auto& v : sums(l)) row.push_back(std::move(v));
    by_office.rows.push_back(std::move(row));
  }
  auto grouped = [&](const char* name, const char* key, const std::vector<sync::sqlite::CostLine>& lines) {
    ReportTable table{name, with({key}), {}};
    for (const auto& l : lines) {
      std::vector<json> row = {l.key.empty() ? json() : json(l.key)};
      for (auto& v : sums(l)) row.push_back(std::move(v));
      table.rows.push_back(std::move(row));
    }
    return table;
  };
  r.tables = {std::move(trainings), std::move(by_office), grouped("by_competency", "competency", costs.by_competency),
              grouped("by_route", "route", costs.by_route),
              grouped("by_funding", "funding_source", costs.by_funding)};
  return r;
}

Result<Report> Reports::Offices() {
  Report r{"offices", json::object(), {{"offices", {"id", "name", "level"}, {}}}};
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store_.db().Prepare("SELECT id, name, level FROM office ORDER BY id"));
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    r.tables[0].rows.push_back({s->ColumnText(0), s->ColumnText(1), s->ColumnText(2)});
  }
  s->Reset();
  return r;
}

Result<Report> Reports::Jp(const QueryParams& params) {
  LATIH_ASSIGN_OR_RETURN(int year, Year(params));
  LATIH_ASSIGN_OR_RETURN(auto office, Office(params));
  LATIH_ASSIGN_OR_RETURN(Page page, Paging(params, kMaxRows));
  LATIH_ASSIGN_OR_RETURN(auto rows, summary_ ? summary_->Jp(store_, year, office, policy_)
                                             : sync::sqlite::JpReport(store_, year, office, policy_));
  LATIH_ASSIGN_OR_RETURN(auto offices, LoadOffices(store_));
  Report r;
  r.name = "jp";
  r.head = {{"year", year}, {"minimum_jp", policy_.pns_minimum_jp}, {"pppk_cap_jp", policy_.pppk_cap_jp},
            {"total", rows.size()}, {"offset", page.offset}, {"limit", page.limit}};
  ReportTable employees{"employees",
                        {"nip", "name", "office_id", "office_name", "type", "jp", "jp_needed", "standing", "sessions",
                         "trainings", "jp_teknis", "jp_manajerial", "jp_sosial_kultural", "jp_klasikal",
                         "jp_non_klasikal", "jp_pendidikan"},
                        {}};
  ReportTable summary{"offices",
                      {"office_id", "office_name", "employees", "pns", "pppk", "below_minimum", "above_cap",
                       "total_jp", "mean_jp", "jp_teknis", "jp_manajerial", "jp_sosial_kultural", "jp_klasikal",
                       "jp_non_klasikal", "jp_pendidikan"},
                      {}};
  struct Sum {
    int employees = 0, pns = 0, pppk = 0, below = 0, above = 0;
    double total = 0, teknis = 0, manajerial = 0, sosial = 0, klasikal = 0, non_klasikal = 0, pendidikan = 0;
  };
  std::vector<std::pair<std::string, Sum>> sums;  // rows come ordered by office
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& e = rows[i];
    const bool pns = e.type == domain::EmploymentType::kPns;
    const double needed = pns ? std::max(0.0, policy_.pns_minimum_jp - e.jp) : 0.0;
    if (page.Holds(static_cast<int64_t>(i))) employees.rows.push_back({e.nip, e.name, e.office_id, OfficeName(offices, e.office_id), TypeCode(e.type),
                              Round2(e.jp), Round2(needed), StandingCode(e.standing), e.sessions, e.trainings,
                              Round2(e.jp_teknis), Round2(e.jp_manajerial), Round2(e.jp_sosial_kultural),
                              Round2(e.jp_klasikal), Round2(e.jp_non_klasikal), Round2(e.jp_pendidikan)});
    if (sums.empty() || sums.back().first != e.office_id) sums.emplace_back(e.office_id, Sum{});
    Sum& s = sums.back().second;
    ++s.employees;
    ++(pns ? s.pns : s.pppk);
    s.below += e.standing == domain::JpStanding::kBelowMinimum;
    s.above += e.standing == domain::JpStanding::kAboveCap;
    s.total += e.jp;
    s.teknis += e.jp_teknis;
    s.manajerial += e.jp_manajerial;
    s.sosial += e.jp_sosial_kultural;
    s.klasikal += e.jp_klasikal;
    s.non_klasikal += e.jp_non_klasikal;
    s.pendidikan += e.jp_pendidikan;
  }
  for (const auto& [id, s] : sums) {
    summary.rows.push_back({id, OfficeName(offices, id), s.employees, s.pns, s.pppk, s.below, s.above, Round2(s.total),
                            Round2(s.total / s.employees), Round2(s.teknis), Round2(s.manajerial), Round2(s.sosial),
                            Round2(s.klasikal), Round2(s.non_klasikal), Round2(s.pendidikan)});
  }
  r.tables = {std::move(employees), std::move(summary)};
  return r;
}

namespace {

const std::vector<std::string> kTrainingColumns = {
    "training_id", "title", "office_id", "office_name", "form", "route", "competency", "jp", "start_date",
    "end_date", "participants", "sessions", "attended", "attendance_rate", "n_pre", "n_post", "n_paired",
    "mean_pre", "mean_post", "gain", "normalized_gain", "n_reaction", "mean_reaction", "n_behaviour",
    "mean_behaviour", "n_result", "mean_result"};

struct TrainingHead {
  std::string id, title, office_id, office_name, route, competency, start_date, end_date;
  int64_t form = 0;
  double jp = 0;
};

constexpr char kTrainingSelect[] =
    "SELECT t.id, t.title, coalesce(t.office_id, ''), coalesce(o.name, ''), t.form, t.route, t.competency, t.jp, "
    "t.start_date, t.end_date FROM training t LEFT JOIN office o ON o.id = t.office_id ";

TrainingHead ReadTrainingHead(const Stmt& s) {
  return {s.ColumnText(0), s.ColumnText(1), s.ColumnText(2), s.ColumnText(3), s.ColumnText(5), s.ColumnText(6),
          s.ColumnText(8), s.ColumnText(9), s.ColumnInt(4), sync::ValueToDouble(s.Column(7))};
}

std::vector<json> TrainingFields(const TrainingHead& t, const sync::sqlite::TrainingSummary& s) {
  auto opt2 = [](const std::optional<double>& v) { return v ? json(Round2(*v)) : json(nullptr); };
  return std::vector<json>{
      t.id, t.title, t.office_id.empty() ? json(nullptr) : json(t.office_id),
      t.office_name.empty() ? json(nullptr) : json(t.office_name), t.form, t.route, t.competency, Round2(t.jp),
      t.start_date, t.end_date, s.participants, s.sessions, s.attended, std::round(s.rate * 10000) / 10000,
      s.n_pre, s.n_post, s.n_paired, opt2(s.mean_pre), opt2(s.mean_post), opt2(s.gain),
      s.normalized_gain ? json(std::round(*s.normalized_gain * 10000) / 10000) : json(nullptr), s.n_reaction,
      opt2(s.mean_reaction), s.n_behaviour, opt2(s.mean_behaviour), s.n_result, opt2(s.mean_result)};
}

// One training's headline numbers from the per-training reports (the
// office client's): what TrainingSummaries must agree with.
Result<std::vector<json>> TrainingRow(sync::sqlite::Store& store, const TrainingHead& t) {
  LATIH_ASSIGN_OR_RETURN(auto att, sync::sqlite::AttendanceReport(store, t.id));
  LATIH_ASSIGN_OR_RETURN(auto ev, sync::sqlite::EvaluationReport(store, t.id));
  sync::sqlite::TrainingSummary s;
  s.participants = att.participants;
  s.sessions = att.sessions;
  s.attended = att.attended;
  s.rate = att.rate;
  s.n_pre = ev.n_pre;
  s.n_post = ev.n_post;
  s.n_paired = ev.n_paired;
  s.n_reaction = ev.n_reaction;
  s.mean_pre = ev.mean_pre;
  s.mean_post = ev.mean_post;
  s.gain = ev.gain;
  s.normalized_gain = ev.normalized_gain;
  s.mean_reaction = ev.mean_reaction;
  s.n_behaviour = ev.n_behaviour;
  s.mean_behaviour = ev.mean_behaviour;
  s.n_result = ev.n_result;
  s.mean_result = ev.mean_result;
  return TrainingFields(t, s);
}

}  // namespace

Result<Report> Reports::Trainings(const QueryParams& params) {
  LATIH_ASSIGN_OR_RETURN(int year, Year(params));
  LATIH_ASSIGN_OR_RETURN(auto office, Office(params));
  Report r;
  r.name = "trainings";
  r.head = {{"year", year}};
  ReportTable table{"trainings", kTrainingColumns, {}};
  LATIH_ASSIGN_OR_RETURN(auto s, store_.db().PrepareOwned(std::string(kTrainingSelect) + R"sql(
    WHERE EXISTS (SELECT 1 FROM session s WHERE s.training_id = t.id AND s.date >= ?1 AND s.date < ?2)
      AND (CAST(?3 AS TEXT) IS NULL OR t.office_id = ?3 OR (t.office_id IS NULL AND EXISTS (
            SELECT 1 FROM session s JOIN attendance a ON a.session_id = s.id
            WHERE s.training_id = t.id AND a.office_id = ?3)))
    ORDER BY t.start_date, t.title, t.id)sql"));
  s->Bind(1, std::to_string(year) + "-01-01").Bind(2, std::to_string(year + 1) + "-01-01");
  s->Bind(3, office ? sync::Value(*office) : sync::Value());
  std::vector<TrainingHead> heads;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    heads.push_back(ReadTrainingHead(*s));
  }
  std::vector<std::string> ids;
  for (const auto& t : heads) ids.push_back(t.id);
  std::unordered_map<std::string, std::pair<int, int>> attendance;
  if (summary_) summary_->TrainingAttendance(attendance);
  LATIH_ASSIGN_OR_RETURN(auto sums, sync::sqlite::TrainingSummaries(store_, ids, summary_ ? &attendance : nullptr));
  for (size_t i = 0; i < heads.size(); ++i) table.rows.push_back(TrainingFields(heads[i], sums[i]));
  r.tables = {std::move(table)};
  return r;
}

Result<Report> Reports::Training(const std::string& id) {
  LATIH_ASSIGN_OR_RETURN(auto s, store_.db().PrepareOwned(std::string(kTrainingSelect) + "WHERE t.id = ?1"));
  s->Bind(1, id);
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) return Status::NotFound("training " + id + " does not exist");
  const TrainingHead head = ReadTrainingHead(*s);
  LATIH_ASSIGN_OR_RETURN(auto row, TrainingRow(store_, head));
  Report r;
  r.name = "training";
  for (size_t i = 0; i < kTrainingColumns.size(); ++i) r.head[kTrainingColumns[i]] = row[i];
  LATIH_ASSIGN_OR_RETURN(auto att, sync::sqlite::AttendanceReport(store_, id));
  LATIH_ASSIGN_OR_RETURN(auto ev, sync::sqlite::EvaluationReport(store_, id));
  ReportTable sessions{"sessions",
                       {"session_id", "date", "start_time", "jp_credit", "participants", "attended", "rate", "hadir",
                        "terlambat", "pulang_awal", "izin", "sakit", "dinas_luar", "cuti", "alpa"},
                       {}};
  for (const auto& a : att.by_session) {
    sessions.rows.push_back({a.session_id, a.date, a.start_time.empty() ? json(nullptr) : json(a.start_time),
                             Round2(a.jp_credit), a.participants, a.attended, std::round(a.rate * 10000) / 10000,
                             a.hadir, a.terlambat, a.pulang_awal, a.izin, a.sakit, a.dinas_luar, a.cuti, a.alpa});
  }
  ReportTable by_office{"by_office", {"office_id", "office_name", "participants", "attended", "attendance_rate"}, {}};
  LATIH_ASSIGN_OR_RETURN(auto q, store_.db().PrepareOwned(R"sql(
    SELECT a.office_id, o.name, count(DISTINCT a.employee_id),
           count(*) FILTER (WHERE a.status IN ('hadir', 'terlambat', 'pulang_awal'))
    FROM session s JOIN attendance a ON a.session_id = s.id JOIN office o ON o.id = a.office_id
    WHERE s.training_id = ?1 GROUP BY a.office_id, o.name ORDER BY a.office_id)sql"));
  q->Bind(1, id);
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool more, q->Step());
    if (!more) break;
    const int64_t participants = q->ColumnInt(2), attended = q->ColumnInt(3);
    const double possible = static_cast<double>(participants) * att.sessions;
    by_office.rows.push_back({q->ColumnText(0), q->ColumnText(1), participants, attended,
                              possible > 0 ? std::round(attended / possible * 10000) / 10000 : 0.0});
  }
  ReportTable aspects{"reaction_aspects", {"aspect", "n", "mean"}, {}};
  for (const auto& a : ev.reaction_aspects) aspects.rows.push_back({a.aspect, a.n, Round2(a.mean)});
  r.tables = {std::move(sessions), std::move(by_office), std::move(aspects)};
  return r;
}

Result<Report> Reports::Ikm(const QueryParams& params) {
  LATIH_ASSIGN_OR_RETURN(auto office, Office(params));
  std::string period;
  if (auto it = params.find("period"); it != params.end()) period = it->second;
  if (!period.empty()) {
    const bool ok = (period.size() == 4 || period.size() == 7) && period.find_first_not_of("0123456789-SQ") ==
                                                                      std::string::npos;
    if (!ok) return Status::Invalid("period must be YYYY, YYYY-S1/S2, YYYY-Q1..Q4 or YYYY-MM, not '" + period + "'");
  }
  LATIH_ASSIGN_OR_RETURN(auto rows, sync::sqlite::IkmReport(store_, period, office));
  Report r;
  r.name = "ikm";
  ReportTable table{"rows",
                    {"office_id", "office_name", "period", "respondents", "nrr", "ikm", "category", "category_label"},
                    {}};
  for (const auto& row : rows) {
    json nrr = json::array();
    for (double v : row.ikm.nrr) nrr.push_back(std::round(v * 10000) / 10000);
    table.rows.push_back({row.office_id, row.office_name, row.period, row.ikm.respondents, std::move(nrr),
                          row.ikm.ikm, std::string(1, row.ikm.category), std::string(row.ikm.category_label)});
  }
  r.tables = {std::move(table)};
  return r;
}

Result<Report> Reports::Freshness(const QueryParams& params) {
  int silent_days = 7;
  if (auto it = params.find("silent_days"); it != params.end() && !it->second.empty()) {
    const std::string& v = it->second;
    if (v.size() > 4 || v.find_first_not_of("0123456789") != std::string::npos) {
      return Status::Invalid("silent_days must be a whole number of days 0-9999, not '" + v + "'");
    }
    silent_days = std::stoi(v);
  }
  const int64_t now = clock_.NowUnixMs();
  Report r;
  r.name = "freshness";
  r.head = {{"now", IsoUtc(now)}, {"silent_days", silent_days}};
  auto days_since = [now](int64_t at) { return at < 0 ? json(nullptr) : json(std::round((now - at) / 864e3) / 100); };
  auto silent = [&](int64_t at) { return at < 0 || now - at > silent_days * 86'400'000LL; };
  ReportTable devices{"devices",
                      {"device_id", "name", "office_id", "office_name", "enrolled_at", "last_sync_at",
                       "days_since_sync", "client_version", "pending_changes", "quarantined", "silent"},
                      {}};
  LATIH_ASSIGN_OR_RETURN(auto s, store_.db().PrepareOwned(R"sql(
    SELECT c.id, c.name, c.office_id, o.name, c.enrolled_at, c.last_seen_at, d.client, d.pending, d.quarantined
    FROM credential c JOIN office o ON o.id = c.office_id LEFT JOIN device_status d ON d.credential_id = c.id
    WHERE c.kind = 'device' AND c.revoked_at IS NULL
    ORDER BY c.office_id, c.name)sql"));
  struct OfficeFresh {
    int devices = 0;
    int64_t last = -1;
  };
  std::map<std::string, OfficeFresh> by_office;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    const int64_t last = s->ColumnIsNull(5) ? -1 : ParseIsoUtc(s->ColumnText(5));
    devices.rows.push_back({s->ColumnInt(0), s->ColumnText(1), s->ColumnText(2), s->ColumnText(3), TextOrNull(*s, 4),
                            TextOrNull(*s, 5), days_since(last), TextOrNull(*s, 6),
                            s->ColumnIsNull(7) ? json(nullptr) : json(s->ColumnInt(7)),
                            s->ColumnIsNull(8) ? json(nullptr) : json(s->ColumnInt(8)), silent(last)});
    OfficeFresh& f = by_office[s->ColumnText(2)];
    ++f.devices;
    f.last = std::max(f.last, last);
  }
  // Every kelurahan is listed, with or without a device.
  LATIH_ASSIGN_OR_RETURN(auto offices, LoadOffices(store_));
  for (const auto& [id, info] : offices) {
    if (info.level == "kelurahan") by_office.try_emplace(id);
  }
  ReportTable summary{"offices", {"office_id", "office_name", "devices", "last_sync_at", "days_since_sync", "silent"}, {}};
  for (const auto& [id, f] : by_office) {
    summary.rows.push_back({id, OfficeName(offices, id), f.devices, f.last < 0 ? json(nullptr) : json(IsoUtc(f.last)),
                            days_since(f.last), f.devices == 0 || silent(f.last)});
  }
  r.tables = {std::move(devices), std::move(summary)};
  return r;
}

namespace {

// Who a replica (node) is: a device's name and office, the server, or the node id.
Result<std::unordered_map<int64_t, std::string>> NodeNames(sync::sqlite::Store& store) {
  std::unordered_map<int64_t, std::string> out;
  out[store.node_id()] = "BKPSDM (server)";
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(
      "SELECT node_id, name, coalesce(office_id, '') FROM credential WHERE node_id IS NOT NULL"));
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    const std::string office = s->ColumnText(2);
    out[s->ColumnInt(0)] = s->ColumnText(1) + (office.empty() ? "" : " (" + office + ")");
  }
  s->Reset();
  return out;
}

// A human label of a row and its office, for the conflict list.
Result<std::pair<json, json>> RowLabel(sync::sqlite::Store& store, const std::string& table, const std::string& id) {
  std::string sql;
  if (table == "employee") {
    sql = "SELECT nip || ' ' || name, office_id FROM employee WHERE id = ?1";
  } else if (table == "training") {
    sql = "SELECT title, office_id FROM training WHERE id = ?1";
  } else if (table == "session") {
    sql = "SELECT t.title || ' ' || s.date, s.office_id FROM session s JOIN training t ON t.id = s.training_id "
          "WHERE s.id = ?1";
  } else if (table == "attendance" || table == "evaluation") {
    sql = "SELECT e.nip || ' ' || e.name, x.office_id FROM " + table +
          " x JOIN employee e ON e.id = x.employee_id WHERE x.id = ?1";
  } else if (table == "skm_response") {
    sql = "SELECT 'SKM ' || period, office_id FROM skm_response WHERE id = ?1";
  } else {
    return std::make_pair(json(table + " " + id), json(nullptr));
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(sql));
  s->Bind(1, id);
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  std::pair<json, json> out{json(table + " " + id), json(nullptr)};
  if (found) out = {json(s->ColumnText(0)), TextOrNull(*s, 1)};
  s->Reset();
  return out;
}

// The cell's value now (the row's existence as 1/0 for column "").
Result<json> CurrentValue(sync::sqlite::Store& store, const std::string& table, const std::string& id,
                          const std::string& column) {
  const sync::TableDef* td = store.catalog().Find(table);
  if (td == nullptr) return json(nullptr);
  LATIH_ASSIGN_OR_RETURN(auto row, store.Get(table, id));
  if (column.empty()) return json(row ? 1 : 0);
  const int i = td->ColumnIndex(column);
  if (!row || i < 0) return json(nullptr);
  return FromValue(row->values[i]);
}

json ParseScalar(const std::string& text) {
  json v = json::parse(text, nullptr, false);
  return v.is_discarded() ? json(text) : v;
}

}  // namespace

Result<Report> Reports::Conflicts(const QueryParams& params) {
  bool all = false;
  if (auto it = params.find("status"); it != params.end() && !it->second.empty()) {
    if (it->second != "open" && it->second != "all") {
      return Status::Invalid("status must be open or all, not '" + it->second + "'");
    }
    all = it->second == "all";
  }
  LATIH_ASSIGN_OR_RETURN(auto names, NodeNames(store_));
  auto origin = [&names](int64_t node) {
    auto it = names.find(node);
    return it == names.end() ? "node " + std::to_string(node) : it->second;
  };
  Report r;
  r.name = "conflicts";
  ReportTable table{"conflicts",
                    {"id", "table", "row_id", "column", "office_id", "label", "winner_value", "loser_value",
                     "winner_at", "loser_at", "winner_origin", "loser_origin", "detected_at", "resolved_at",
                     "current_value"},
                    {}};
  LATIH_ASSIGN_OR_RETURN(auto s, store_.db().PrepareOwned(R"sql(
    SELECT id, tbl, row_id, col, winner_value, winner_hlc, winner_node, loser_value, loser_hlc, loser_node,
           detected_at, resolved_at
    FROM sync_conflict WHERE ?1 <> 0 OR resolved_at IS NULL ORDER BY id DESC)sql"));
  s->Bind(1, int64_t{all ? 1 : 0});
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    const std::string tbl = s->ColumnText(1), row_id = s->ColumnText(2), col = s->ColumnText(3);
    LATIH_ASSIGN_OR_RETURN(auto label, RowLabel(store_, tbl, row_id));
    LATIH_ASSIGN_OR_RETURN(json current, CurrentValue(store_, tbl, row_id, col));
    table.rows.push_back({s->ColumnInt(0), tbl, row_id, col, label.second, label.first,
                          ParseScalar(s->ColumnText(4)), ParseScalar(s->ColumnText(7)),
                          IsoUtc(sync::HlcPhysicalMs(s->ColumnInt(5))), IsoUtc(sync::HlcPhysicalMs(s->ColumnInt(8))),
                          origin(s->ColumnInt(6)), origin(s->ColumnInt(9)), s->ColumnText(10), TextOrNull(*s, 11),
                          std::move(current)});
  }
  r.tables = {std::move(table)};
  return r;
}

Result<Report> Reports::Siasn(const QueryParams& params) {
  LATIH_ASSIGN_OR_RETURN(int year, Year(params));
  LATIH_ASSIGN_OR_RETURN(auto office, Office(params));
  LATIH_ASSIGN_OR_RETURN(Page page, Paging(params, kMaxSiasnRows));
  // Only the page's records are built (a city's year is millions).
  int64_t total = 0;
  std::vector<sync::sqlite::TrainingCredit> credits;
  if (summary_) {
    LATIH_ASSIGN_OR_RETURN(credits, summary_->Credits(store_, year, office, page.offset, page.limit, &total));
  } else {
    LATIH_ASSIGN_OR_RETURN(credits, sync::sqlite::TrainingCredits(store_, year, office));
    total = static_cast<int64_t>(credits.size());
    const auto first = std::min<int64_t>(page.offset, total), last = std::min<int64_t>(page.offset + page.limit, total);
    credits = std::vector<sync::sqlite::TrainingCredit>(credits.begin() + first, credits.begin() + last);
  }
  LATIH_ASSIGN_OR_RETURN(auto offices, LoadOffices(store_));
  // The trainings and people involved, and their scores.
  struct TrainingInfo {
    std::string title, route, competency, organizer, start, end, certificate;
    int64_t form = 0, minutes = 0;
    double jp = 0;
  };
  std::unordered_map<std::string, TrainingInfo> trainings;
  std::set<std::string> training_ids;
  for (const auto& c : credits) training_ids.insert(c.training_id);
  LATIH_ASSIGN_OR_RETURN(Stmt* t, store_.db().Prepare(
      "SELECT title, route, competency, coalesce(organizer, ''), start_date, end_date, coalesce(certificate_no, ''), "
      "form, minutes, jp FROM training WHERE id = ?1"));
  LATIH_ASSIGN_OR_RETURN(Stmt* ev, store_.db().Prepare(
      "SELECT employee_id, kind, score FROM evaluation WHERE training_id = ?1 "
      "AND kind IN ('pre_test', 'post_test', 'reaction')"));
  // Pre, post and reaction score by training id + "/" + employee id.
  std::unordered_map<std::string, std::array<double, 3>> scores;
  for (const auto& id : training_ids) {
    t->Bind(1, id);
    LATIH_ASSIGN_OR_RETURN(bool found, t->Step());
    if (found) {
      trainings[id] = {t->ColumnText(0), t->ColumnText(1), t->ColumnText(2), t->ColumnText(3), t->ColumnText(4),
                       t->ColumnText(5), t->ColumnText(6), t->ColumnInt(7), t->ColumnInt(8),
                       sync::ValueToDouble(t->Column(9))};
    }
    t->Reset();
    ev->Bind(1, id);
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, ev->Step());
      if (!row) break;
      const std::string kind = ev->ColumnText(1);
      const int slot = kind == "pre_test" ? 0 : kind == "post_test" ? 1 : 2;
      auto [it, added] = scores.try_emplace(id + "/" + ev->ColumnText(0), std::array<double, 3>{-1, -1, -1});
      it->second[slot] = Round2(sync::ValueToDouble(ev->Column(2)));
    }
    ev->Reset();
  }
  LATIH_ASSIGN_OR_RETURN(Stmt* emp, store_.db().Prepare(
      "SELECT nip, name, employment_type, office_id FROM employee WHERE id = ?1"));
  Report r;
  r.name = "siasn";
  r.head = {{"year", year}, {"total", total}, {"offset", page.offset}, {"limit", page.limit}};
  ReportTable table{"records",
                    {"nip", "nama", "jenis_asn", "kode_wilayah_kelurahan", "unit_kerja", "nama_kegiatan", "jalur",
                     "jenis_diklat_id", "jenis_kompetensi", "penyelenggara", "tanggal_mulai", "tanggal_selesai",
                     "tahun", "jp", "jumlah_jam", "menit", "kehadiran_persen", "nilai_pre", "nilai_post",
                     "nilai_reaksi", "nomor_sertifikat", "namaKursus", "jenisDiklatId", "institusiPenyelenggara",
                     "tahunKursus", "tanggalKursus", "tanggalSelesaiKursus", "jumlahJam", "nomorSertipikat"},
                    {}};
  std::string last_employee;
  json nip, name, type, office_id, unit;
  for (const auto& c : credits) {
    if (c.employee_id != last_employee) {
      last_employee = c.employee_id;
      emp->Bind(1, c.employee_id);
      LATIH_ASSIGN_OR_RETURN(bool found, emp->Step());
      if (!found) return Status::Corruption("attendance of employee " + c.employee_id + " who does not exist");
      nip = emp->ColumnText(0);
      name = emp->ColumnText(1);
      type = emp->ColumnText(2) == "pppk" ? "PPPK" : "PNS";
      office_id = emp->ColumnText(3);
      auto o = offices.find(emp->ColumnText(3));
      unit = o == offices.end() ? json(nullptr)
                                : json((o->second.level == "kelurahan" ? "Kelurahan " : "") + o->second.name);
      emp->Reset();
    }
    const auto it = trainings.find(c.training_id);
    if (it == trainings.end()) continue;
    const TrainingInfo& ti = it->second;
    const int64_t jp = std::llround(c.jp);
    const int64_t minutes = ti.jp > 0 ? std::llround(ti.minutes * c.jp / ti.jp) : 0;
    const std::string route = ti.route == "non_klasikal" ? "nonklasikal" : ti.route;
    const std::string competency = ti.competency == "sosial_kultural" ? "sosial kultural" : ti.competency;
    const json organizer = ti.organizer.empty() ? json(nullptr) : json(ti.organizer);
    const json certificate = ti.certificate.empty() ? json(nullptr) : json(ti.certificate);
    std::array<json, 3> s3{};
    if (const auto sc = scores.find(c.training_id + "/" + c.employee_id); sc != scores.end()) {
      for (int k = 0; k < 3; ++k) s3[k] = sc->second[k] < 0 ? json(nullptr) : json(sc->second[k]);
    }
    const json presence = c.sessions ? json(Round2(100.0 * c.sessions_attended / c.sessions)) : json(nullptr);
    table.rows.push_back({nip, name, type, office_id, unit, ti.title, route, ti.form, competency, organizer,
                          SiasnDate(ti.start), SiasnDate(ti.end), year, jp, jp, minutes, presence, s3[0], s3[1],
                          s3[2], certificate, ti.title, ti.form, organizer, year, SiasnDate(ti.start),
                          SiasnDate(ti.end), jp, certificate});
  }
  r.tables = {std::move(table)};
  return r;
}

Result<ResolveOutcome> ResolveConflict(sync::sqlite::Store& store, int64_t id, bool keep_loser) {
  LATIH_ASSIGN_OR_RETURN(auto batch, store.BeginWrite());
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(
      "SELECT tbl, row_id, col, winner_value, resolved_at FROM sync_conflict WHERE id = ?1"));
  s->Bind(1, id);
  LATIH_ASSIGN_OR_RETURN(bool found, s->Step());
  if (!found) {
    s->Reset();
    return Status::NotFound("conflict " + std::to_string(id) + " does not exist");
  }
  const std::string tbl = s->ColumnText(0), row_id = s->ColumnText(1), col = s->ColumnText(2);
  const json winner = ParseScalar(s->ColumnText(3));
  const bool resolved = !s->ColumnIsNull(4);
  s->Reset();
  if (resolved) return Status::Invalid("conflict " + std::to_string(id) + " is already resolved");
  ResolveOutcome out;
  LATIH_ASSIGN_OR_RETURN(out.current_value, CurrentValue(store, tbl, row_id, col));
  // 4 and 4.0 are the same stored value.
  const bool same = out.current_value == winner ||
                    (out.current_value.is_number() && winner.is_number() &&
                     out.current_value.get<double>() == winner.get<double>());
  if (!same) {
    out.changed = true;
    return out;  // the batch rolls back: nothing written
  }
  LATIH_RETURN_IF_ERROR(batch->ResolveConflict(id, keep_loser));
  LATIH_RETURN_IF_ERROR(batch->Commit());
  if (keep_loser) {
    LATIH_ASSIGN_OR_RETURN(out.current_value, CurrentValue(store, tbl, row_id, col));
  }
  return out;
}

}  // namespace latih::server
