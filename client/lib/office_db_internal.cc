#include "client/lib/office_db_internal.h"

#include <cctype>

#include "client/lib/messages.h"

namespace latih::client::internal {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

sync::Value OptText(const std::optional<std::string>& s) {
  if (!s) return sync::Value();
  std::string t = Trim(*s);
  return t.empty() ? sync::Value() : sync::Value(t);
}

bool IsClockTime(std::string_view t) {  
  if (t.size() != 5 && t.size() != 8) return false;
  auto two = [&](size_t i, int max) {
    return std::isdigit(static_cast<unsigned char>(t[i])) && std::isdigit(static_cast<unsigned char>(t[i + 1])) &&
           (t[i] - '0') * 10 + (t[i + 1] - '0') <= max;
  };
  if (!two(0, 23) || t[2] != ':' || !two(3, 59)) return false;
  return t.size() == 5 || (t[5] == ':' && two(6, 59));
}

int MinutesOfDay(std::string_view hhmm) { return ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 +
                                                 (hhmm[3] - '0') * 10 + (hhmm[4] - '0'); }

int MonthByName(const std::string& lower) {
  static const char* const kEnglish[] = {"january", "february", "march",     "april",   "may",      "june",
                                         "july",    "august",   "september", "october", "november", "december"};
  static const char* const kIndonesian[] = {"januari", "februari", "maret",     "april",   "mei",      "juni",
                                            "juli",    "agustus",  "september", "oktober", "november", "desember"};
  for (int m = 0; m < 12; ++m) {
    const std::string en = kEnglish[m], id = kIndonesian[m];
    if (lower == en || lower == id || (lower.size() == 3 && (en.rfind(lower, 0) == 0 || id.rfind(lower, 0) == 0))) {
      return m + 1;
    }
  }
  return 0;
}

Result<domain::NipInfo> ParseNipSaid(std::string_view text) {
  domain::NipWording w;
  w.not_digit = Say(Msg::kNipNotDigit);
  w.digit_count = Say(Msg::kNipDigitCount);
  w.birth_year = Say(Msg::kNipBirthYear);
  w.birth_date = Say(Msg::kNipBirthDate);
  w.pppk_contracts = Say(Msg::kNipPppkContracts);
  w.tmt_month = Say(Msg::kNipTmtMonth);
  w.pns_too_young = Say(Msg::kNipPnsTooYoung);
  w.pppk_too_young = Say(Msg::kNipPppkTooYoung);
  w.gender = Say(Msg::kNipGender);
  w.serial = Say(Msg::kNipSerial);
  return domain::ParseNip(text, w);
}

}  // namespace latih::client::internal
