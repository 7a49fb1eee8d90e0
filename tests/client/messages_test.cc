// The message catalog (client/lib/messages.h): complete in both languages,
// the same arguments in each, the language taken from the locale.
#include "client/lib/messages.h"
#include "client/lib/office_db_internal.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <set>

namespace latih::client {
namespace {

std::multiset<std::string> Placeholders(std::string_view text) {
  std::multiset<std::string> found;
  for (size_t at = text.find('{'); at != std::string_view::npos; at = text.find('{', at + 1)) {
    found.insert(std::string(text.substr(at, 3)));
  }
  return found;
}

// Sets the locale variables for one check and restores them after.
struct LocaleEnv {
  LocaleEnv(const char* lc_all, const char* lc_messages, const char* lang) {
    Set("LC_ALL", lc_all);
    Set("LC_MESSAGES", lc_messages);
    Set("LANG", lang);
  }
  static void Set(const char* name, const char* value) {
    if (value) setenv(name, value, 1);
    else unsetenv(name);
  }
};

}  // namespace

TEST_CASE("every message is said in both languages with the same arguments", "[client][messages]") {
  for (int i = 0; i < static_cast<int>(Msg::kCount_); ++i) {
    const auto m = static_cast<Msg>(i);
    const std::string_view en = SayIn(Language::kEnglish, m), id = SayIn(Language::kIndonesian, m);
    INFO("message " << i << ": " << en << " / " << id);
    CHECK_FALSE(en.empty());
    CHECK_FALSE(id.empty());
    CHECK(en != id);
    CHECK(Placeholders(en) == Placeholders(id));
    // {1}, {2}... with none left out, so that no argument is lost.
    const std::multiset<std::string> all = Placeholders(en);
    int k = 1;
    for (const auto& p : std::set<std::string>(all.begin(), all.end())) {
      CHECK(p == "{" + std::to_string(k++) + "}");
    }
  }
}

TEST_CASE("the NIP checks of sync/ are worded by the catalog in the current language", "[client][messages]") {
  SetLanguage(Language::kIndonesian);
  CHECK(internal::ParseNipSaid("198012302010013005").status().message() ==
        "NIP 198012302010013005: digit jenis kelamin 3 bukan 1 (laki-laki) atau 2 (perempuan)");
  SetLanguage(Language::kEnglish);
  CHECK(internal::ParseNipSaid("123").status().message() == "NIP '123': has 3 digits, expected 18");
}

TEST_CASE("the Indonesian messages call an error 'galat', never 'kesalahan'", "[client][messages]") {
  for (int i = 0; i < static_cast<int>(Msg::kCount_); ++i) {
    const std::string_view id = SayIn(Language::kIndonesian, static_cast<Msg>(i));
    INFO("message " << i << ": " << id);
    CHECK(id.find("esalahan") == std::string_view::npos);
  }
}

TEST_CASE("the locale picks the language: LC_ALL, then LC_MESSAGES, then LANG", "[client][messages]") {
  LocaleEnv(nullptr, nullptr, "id_ID.UTF-8");
  CHECK(LanguageFromEnvironment() == Language::kIndonesian);
  LocaleEnv(nullptr, nullptr, "en_US.UTF-8");
  CHECK(LanguageFromEnvironment() == Language::kEnglish);
  LocaleEnv("C", nullptr, "id_ID.UTF-8");
  CHECK(LanguageFromEnvironment() == Language::kEnglish);
  LocaleEnv("", "id_ID", "en_US.UTF-8");  // an empty variable does not count
  CHECK(LanguageFromEnvironment() == Language::kIndonesian);
  LocaleEnv(nullptr, nullptr, "indonesian-but-not-a-locale");
  CHECK(LanguageFromEnvironment() == Language::kEnglish);
  LocaleEnv(nullptr, nullptr, nullptr);
  CHECK(LanguageFromEnvironment() == Language::kEnglish);
}

TEST_CASE("arguments go where the language puts them", "[client][messages]") {
  SetLanguage(Language::kEnglish);
  CHECK(Say(Msg::kImportSummary, {"Employee import", "3", "1", "1", "1"}) ==
        "Employee import: 3 lines; 1 new, 1 changed, 1 unchanged");
  SetLanguage(Language::kIndonesian);
  CHECK(Say(Msg::kDeskCounts, {"12", "1", "37", "50"}) == "Hadir 12   Izin/sakit/DL 1   Belum 37   Total 50");
  CHECK(Say(Msg::kDeskLate, {"17"}) == " (terlambat 17 menit)");
  CHECK(Say(Msg::kCliError, {Say(Msg::kNipNotRegistered, {"197804122003121004"})}) ==
        "latih: galat: NIP 197804122003121004 belum terdaftar");
  SetLanguage(Language::kEnglish);
  CHECK(Say(Msg::kDeskLate, {"17"}) == " (17 min late)");
  CHECK(Say(Msg::kDeskNoMatch, {}) == "Nobody on the list matches \"\".");  // a missing argument is empty
}

}  // namespace latih::client
