// The central HR reports of docs/REPORTS.md over the server's database.
// Each report is a Report: top-level fields and named tables of scalars,
// rendered as JSON (each table an array of objects) or as CSV (one table).
// The numbers come from sync/sqlite/reports.h, the code behind the office
// client's `latih report`, so both agree on the same data.
// Not thread-safe: the caller serializes access to the Store.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sync/domain/jp_policy.h"
#include "sync/env.h"
#include "sync/sqlite/credit_summary.h"
#include "sync/sqlite/store.h"
#include "sync/status.h"

namespace latih::server {

// A table of a report: column names and rows of JSON values aligned with
// them (scalars; an array cell becomes columns <name>_1.. in CSV).
struct ReportTable {
  std::string name;
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;
};

struct Report {
  std::string name;                                 // the CSV file name's stem
  nlohmann::json head = nlohmann::json::object();   // top-level fields ("year": 2026)
  std::vector<ReportTable> tables;                  // the first is the CSV default
};

using QueryParams = std::map<std::string, std::string>;

// The most rows of people one answer carries: JP employees, and SIASN
// records (29 fields each); more are paged with offset= and limit= (the
// head says the total). Each page answers in well under a second at city
// scale (docs/BENCHMARKS.md).
inline constexpr int64_t kMaxRows = 100'000;
inline constexpr int64_t kMaxSiasnRows = 25'000;

// Decodes an application/x-www-form-urlencoded query ("a=1&b=x%20y").
// kInvalidArgument for a bad %-escape, a repeated name or text that is not UTF-8.
Result<QueryParams> ParseQuery(std::string_view query);

std::string RenderJson(const Report& report);
// RFC 4180 CSV of table `table` ("" = the first) with a UTF-8 byte-order
// mark; text cells that a spreadsheet would run as a formula (=, +, -, @,
// tab, CR first) are prefixed with "'". kInvalidArgument for a table the
// report does not have.
Result<std::string> RenderCsv(const Report& report, const std::string& table);
// The attachment's file name: "<name>[-<param value>...].csv", safe characters only.
std::string CsvFileName(const Report& report, const QueryParams& params);

class Reports {
 public:
  // `store` (the server's, or a read-only connection to it) and `clock`
  // must outlive this object.
  // `summary`, when given, is up to date with `store` and answers the JP,
  // trainings and SIASN reports instead of a pass over attendance.
  Reports(sync::sqlite::Store& store, sync::Clock& clock, const sync::sqlite::CreditSummary* summary = nullptr,
          domain::JpPolicy policy = {})
      : store_(store), clock_(clock), summary_(summary), policy_(policy) {}

  // Each takes the decoded query; kInvalidArgument names a bad parameter
  // and its value, kNotFound an unknown id.
  Result<Report> Offices();
  Result<Report> Jp(const QueryParams& params);
  Result<Report> Trainings(const QueryParams& params);
  Result<Report> Training(const std::string& id);
  Result<Report> Ikm(const QueryParams& params);
  Result<Report> Freshness(const QueryParams& params);
  Result<Report> Conflicts(const QueryParams& params);
  Result<Report> Siasn(const QueryParams& params);
  // The 20-JP reminder list (docs/REPORTS.md): year=, office=, today=
  // (default: the server's local date), offset=, limit= (of people).
  Result<Report> Reminders(const QueryParams& params);
  // Programme impact (docs/REPORTS.md): year= (the last, default the
  // current one), years= (how many, 1-20, default 5), office=.
  Result<Report> Impact(const QueryParams& params);
  // What the training budget buys (docs/REPORTS.md, "Cost"): year=,
  // office= (trainings run by that office).
  Result<Report> Costs(const QueryParams& params);

 private:
  Result<int> Year(const QueryParams& params);
  // `offset` and `limit` of a list of people (default 0 and `max_rows`).
  struct Page {
    int64_t offset = 0, limit = 0;
    bool Holds(int64_t i) const { return i >= offset && i < offset + limit; }
  };
  Result<Page> Paging(const QueryParams& params, int64_t max_rows);
  Result<std::optional<std::string>> Office(const QueryParams& params);

  sync::sqlite::Store& store_;
  sync::Clock& clock_;
  const sync::sqlite::CreditSummary* summary_;
  domain::JpPolicy policy_;
};

// HR's decision on conflict `id`, on the writer Store: keep_loser writes
// the losing value again as a new change by the server (it then wins
// everywhere by the clock and syncs back to the offices); otherwise the
// conflict is only closed. When the cell no longer holds the winning value
// (edited since), nothing is done and the outcome says so, with the value
// it holds now. kNotFound (no such conflict), kInvalidArgument (already
// resolved, or the row is gone).
struct ResolveOutcome {
  bool changed = false;             // the cell no longer holds the winner: nothing done
  nlohmann::json current_value;     // the cell's value now
};
Result<ResolveOutcome> ResolveConflict(sync::sqlite::Store& store, int64_t id, bool keep_loser);

}  // namespace latih::server
