// The domain rules every stored row must satisfy, checked in C++ before a row
// reaches SQLite (whose CHECK constraints are the second line of defence) so
// that a refusal says which field, which value and why. Applied to local
// writes and, by the sync engine, to rows arriving from peers. Thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "sync/status.h"
#include "sync/tables.h"

namespace latih::sync {

// Validates the complete row `row` of `table` (values parallel to
// table.columns). Checks what SQL cannot say clearly: a valid NIP whose
// employment type matches, natural-key ids derived from their key columns,
// vocabulary codes, score and scale ranges, real calendar dates, SKM periods,
// aspect-score objects. Returns kInvalidArgument naming table, column and
// value for the first rule broken.
Status ValidateRow(const TableDef& table, const Row& row);

// NOT NULL columns first (a clearer message), then ValidateRow.
Status ValidateCompleteRow(const TableDef& table, const Row& row);

// True for "YYYY-MM-DD" naming a real calendar date (years 1900..2099).
bool IsIsoDate(std::string_view text);

// The columns whose values make the id of a natural-key row
// (NaturalId(table, values...)): employee {nip}, attendance {session_id,
// employee_id}, evaluation {training_id, employee_id, kind},
// skp_assessment {employee_id, year, period}; empty for
// tables whose ids are random.
std::span<const std::string_view> NaturalKeyColumns(std::string_view table);
// True for an SKM period: "YYYY", "YYYY-S1|2", "YYYY-Q1..4" or "YYYY-MM".
bool IsSkmPeriod(std::string_view text);
// True for an e-mail address as stored: at most 254 printable ASCII
// characters, lower case, one '@' with text on both sides, none of , ; < >
// ( ) " (schema/common/0011_wire_schema_2.sql says the same).
bool IsStoredEmail(std::string_view text);
// True for an SKP period: "tahunan" (the annual assessment), "Q1".."Q4" or
// "01".."12".
bool IsSkpPeriod(std::string_view text);

}  // namespace latih::sync
