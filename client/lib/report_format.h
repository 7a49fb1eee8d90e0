// Renders listings and reports in the three output formats of the CLI:
// an aligned text table for people, JSON (an array of objects with typed
// values) and CSV for spreadsheets. Builders turn each report struct into a
// Table, so all commands share one renderer. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "client/lib/office_db.h"
#include "sync/sqlite/reminders.h"
#include "sync/sqlite/reports.h"
#include "sync/tables.h"

namespace latih::client {

enum class OutputFormat { kText, kJson, kCsv };

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<sync::Value>> rows;
  std::string title;                // printed above a text table
  std::vector<std::string> footer;  // printed below a text table
};

void Render(const Table& table, OutputFormat format, std::ostream& out);

// Real numbers in text and CSV output: at most `decimals` decimals, no
// trailing zeros ("20", "6.67").
std::string FormatNumber(double v, int decimals = 2);

Table EmployeesTable(const std::vector<EmployeeRecord>& rows);
// SKP assessments, one a row, and below them how many have each predicate.
Table SkpTable(const std::vector<SkpEntry>& rows, std::optional<int> year);
Table JpTable(const std::vector<sync::sqlite::JpRow>& rows, int year, const domain::JpPolicy& policy);
Table AttendanceTable(const sync::sqlite::TrainingAttendance& rep);
Table EvaluationTable(const sync::sqlite::EvaluationSummary& rep);
Table IkmTable(const std::vector<sync::sqlite::IkmRow>& rows, const std::string& period);
Table StatusTable(const StatusInfo& info);
// The 20-JP reminder list (sync/sqlite/reminders.h): one row per person,
// the suggested trainings' titles joined by "; ".
Table RemindersTable(const sync::sqlite::ReminderList& list, int year, const std::string& today);
// The given rows of `table` with the chosen columns (id is "id").
Table RowsTable(const sync::sqlite::Store& store, const std::string& table,
                const std::vector<sync::Row>& rows, const std::vector<std::string>& columns);
// Every row of `table` with its stored columns.
Result<Table> ExportTable(sync::sqlite::Store& store, const std::string& table);

}  // namespace latih::client
