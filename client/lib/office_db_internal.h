// Small helpers shared by the office_db*.cc files. Not part of the API.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sync/domain/nip.h"
#include "sync/tables.h"

namespace latih::client::internal {

std::string Lower(std::string s);
std::string Trim(std::string_view s);
// NULL for nullopt or blank, else the trimmed text.
sync::Value OptText(const std::optional<std::string>& s);
// "HH:MM" or "HH:MM:SS".
bool IsClockTime(std::string_view t);
int MinutesOfDay(std::string_view hhmm);  // REQUIRES: IsClockTime
// 1..12 for a month's name in English or Indonesian, full or its first three
// letters ("maret", "mar", "agu"), given in lower case; 0 otherwise.
int MonthByName(const std::string& lower);
// domain::ParseNip with its errors worded by the catalog, in the current
// language (client/lib/messages.h).
Result<domain::NipInfo> ParseNipSaid(std::string_view text);

}  // namespace latih::client::internal
