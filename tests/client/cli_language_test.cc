// The real `latih` binary speaks Bahasa Indonesia under an Indonesian locale
// and English otherwise (client/lib/messages.h): confirmations, import
// summaries and line errors, errors and --help. LC_ALL overrides LANG.
#include <catch2/catch.hpp>

#include "client/cli/cli_context.h"
#include "tests/support/test_support.h"

namespace latih::client {
namespace {

using test::EnvVars;
using test::RunCli;
using test::TempDir;

const EnvVars kIndonesian = {{"LANG", "id_ID.UTF-8"}};
const EnvVars kC = {{"LANG", "C"}};

// A fresh office database in `dir`.
std::string NewOffice(const TempDir& dir, const std::string& name) {
  const std::string db = dir.File(name);
  REQUIRE(RunCli({"--db", db, "init", "--office", "52.71.01.1004"}).exit_code == 0);
  return db;
}

TEST_CASE("an employee's registration is confirmed in the locale's language", "[client][cli][language]") {
  TempDir dir;
  const std::string db = NewOffice(dir, "a.db");
  const std::string nip = test::TestNip(1), other = test::TestNip(2);
  const auto id = RunCli({"--db", db, "employee", "add", "--nip", nip, "--name", "Baiq Rahmawati"}, kIndonesian);
  CHECK(id.exit_code == 0);
  CHECK(id.out == nip + " Baiq Rahmawati (PNS) terdaftar\n");
  const auto en = RunCli({"--db", db, "employee", "add", "--nip", other, "--name", "Ahmad Fauzi"}, kC);
  CHECK(en.exit_code == 0);
  CHECK(en.out == other + " Ahmad Fauzi (PNS) registered\n");
  // No locale at all (the harness default) is English too.
  const auto none = RunCli({"--db", db, "employee", "update", "--nip", other, "--rank", "III/a"});
  CHECK(none.out == other + " Ahmad Fauzi updated\n");
}

TEST_CASE("an import's summary and its line errors follow the locale", "[client][cli][language]") {
  TempDir dir;
  test::WriteFile(dir.File("ok.csv"), "nip,nama\n" + test::TestNip(1) + ",A\n" + test::TestNip(2) + ",B\n");
  const auto id = RunCli({"--db", NewOffice(dir, "a.db"), "employee", "import", dir.File("ok.csv")}, kIndonesian);
  CHECK(id.exit_code == 0);
  CHECK(id.out == "Impor pegawai: 2 baris; 2 baru, 0 diubah, 0 tetap\n");
  const auto en = RunCli({"--db", NewOffice(dir, "b.db"), "employee", "import", dir.File("ok.csv")}, kC);
  CHECK(en.out == "Employee import: 2 lines; 2 new, 0 changed, 0 unchanged\n");

  test::WriteFile(dir.File("bad.csv"), "nip,nama\n" + test::TestNip(3) + ",\n");
  const auto bad_id = RunCli({"--db", NewOffice(dir, "c.db"), "employee", "import", dir.File("bad.csv")}, kIndonesian);
  CHECK(bad_id.exit_code == cli::kExitInvalid);
  CHECK_THAT(bad_id.err, Catch::Contains(dir.File("bad.csv") + " baris 2: nama kosong untuk NIP baru") &&
                             Catch::Contains("latih: galat: 1 dari 1 baris") &&
                             Catch::Contains("tidak ada yang diimpor"));
  const auto bad_en = RunCli({"--db", NewOffice(dir, "d.db"), "employee", "import", dir.File("bad.csv")});
  CHECK_THAT(bad_en.err, Catch::Contains(dir.File("bad.csv") + " line 2: nama is empty for new NIP") &&
                             Catch::Contains("latih: error: 1 of 1 lines") &&
                             Catch::Contains("nothing was imported"));
}

TEST_CASE("an error says what is wrong in the locale's language", "[client][cli][language]") {
  TempDir dir;
  const std::string db = NewOffice(dir, "a.db");
  const std::string nip = test::TestNip(5);
  const std::vector<std::string> evaluate = {"--db", db, "evaluate", "--training", "t", "--nip", nip,
                                             "--kind", "pre_test", "--score", "50"};
  const auto id = RunCli(evaluate, kIndonesian);
  CHECK(id.exit_code == cli::kExitNotFound);
  CHECK(id.err == "latih: galat: pelatihan 't' tidak ada\n");
  const auto en = RunCli(evaluate, kC);
  CHECK(en.exit_code == cli::kExitNotFound);
  CHECK(en.err == "latih: error: training 't' does not exist\n");
  const std::vector<std::string> bad_nip = {"--db", db, "employee", "add", "--nip", "1980 1230", "--name", "X"};
  CHECK(RunCli(bad_nip, kIndonesian).err == "latih: galat: NIP '1980 1230': berisi 8 angka, seharusnya 18\n");
  CHECK(RunCli(bad_nip, kC).err == "latih: error: NIP '1980 1230': has 8 digits, expected 18\n");
  const auto missing_id = RunCli({"--db", dir.File("none.db"), "status"}, kIndonesian);
  CHECK(missing_id.exit_code == cli::kExitNotFound);
  CHECK_THAT(missing_id.err, Catch::StartsWith("latih: galat: tidak ada basis data latih di "));
  const auto usage_id = RunCli({"--db", db, "employee", "add"}, kIndonesian);
  CHECK(usage_id.exit_code == cli::kExitUsage);
  CHECK_THAT(usage_id.err, Catch::StartsWith("latih: perintah salah: ") &&
                               Catch::Contains("Jalankan 'latih --help' atau 'latih PERINTAH --help'."));
}

TEST_CASE("--help is in the locale's language", "[client][cli][language]") {
  const auto id = RunCli({"employee", "add", "--help"}, kIndonesian);
  CHECK(id.exit_code == 0);
  CHECK_THAT(id.out, Catch::Contains("Daftarkan pegawai (NIP diperiksa)") &&
                         Catch::Contains("Tampilkan bantuan ini lalu keluar") &&
                         Catch::Contains("Penggunaan:") && Catch::Contains("WAJIB") && Catch::Contains("--nip"));
  const auto en = RunCli({"employee", "add", "--help"}, kC);
  CHECK(en.exit_code == 0);
  CHECK_THAT(en.out, Catch::Contains("Register an employee (NIP validated)") &&
                         Catch::Contains("Print this help message and exit") && Catch::Contains("Usage:") &&
                         Catch::Contains("REQUIRED") && Catch::Contains("--nip"));
}

TEST_CASE("LC_ALL overrides LANG, and LC_MESSAGES comes between them", "[client][cli][language]") {
  const std::vector<std::string> help = {"--help"};
  const std::string en = "Print this help message and exit", id = "Tampilkan bantuan ini lalu keluar";
  CHECK_THAT(RunCli(help, {{"LC_ALL", "C"}, {"LANG", "id_ID.UTF-8"}}).out, Catch::Contains(en));
  CHECK_THAT(RunCli(help, {{"LC_ALL", "id_ID.UTF-8"}, {"LANG", "en_US.UTF-8"}}).out, Catch::Contains(id));
  CHECK_THAT(RunCli(help, {{"LC_MESSAGES", "id_ID.UTF-8"}, {"LANG", "C"}}).out, Catch::Contains(id));
  CHECK_THAT(RunCli(help, {{"LC_ALL", "en_US.UTF-8"}, {"LC_MESSAGES", "id_ID.UTF-8"}}).out, Catch::Contains(en));
}

}  // namespace
}  // namespace latih::client
