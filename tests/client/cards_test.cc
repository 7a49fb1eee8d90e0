// Participant cards (client/lib/cards.h): a QR code per NIP, the page's
// text escaped, and `latih cards` writing one card per participant.
#include "client/lib/cards.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/support/test_support.h"

namespace latih::client {
namespace {

int Occurrences(const std::string& text, const std::string& needle) {
  int n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("a NIP's QR code is a version-1 symbol with its quiet zone and three finder patterns",
          "[client][cards]") {
  auto svg = QrSvg("198501152010031002", 28);
  REQUIRE_OK(svg.status());
  // 18 digits fit version 1 (21 x 21 modules); with 4 modules of quiet zone: 29.
  CHECK_THAT(*svg, Catch::Contains("viewBox=\"0 0 29 29\""));
  CHECK_THAT(*svg, Catch::Contains("width=\"28.0mm\""));
  // The finder patterns' top rows: 7 dark modules at the top left and top
  // right (row 0 of the symbol, x = 4 and x = 18 with the quiet zone).
  CHECK_THAT(*svg, Catch::Contains("M4 4h7v1h-7z"));
  CHECK_THAT(*svg, Catch::Contains("M18 4h7v1h-7z"));
  CHECK_THAT(*svg, Catch::Contains("M4 18h7v1h-7z"));  // bottom left: symbol row 14
  CHECK(QrSvg("198501152010031002", 28).value() == *svg);  // deterministic
  CHECK(QrSvg("198501152010031003", 28).value() != *svg);
}

TEST_CASE("the cards page has one card per person, NIPs spaced, text escaped", "[client][cards]") {
  std::vector<DeskPerson> people(2);
  people[0].name = "Baiq Nurul Aini";
  people[0].nip = "198406302010012004";
  people[1].name = "<script>alert(1)</script> & Co";
  people[1].nip = "198501152010031002";
  auto html = RenderCardsHtml("Bimtek \"Arsip\"", "2026-03-02", people);
  REQUIRE_OK(html.status());
  CHECK(Occurrences(*html, "class=\"card\"") == 2);
  CHECK(Occurrences(*html, "<svg") == 2);
  CHECK_THAT(*html, Catch::Contains("NIP 19840630 201001 2 004"));
  CHECK_THAT(*html, Catch::Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"));
  CHECK(html->find("<script>") == std::string::npos);
  CHECK_THAT(*html, Catch::Contains("Bimtek &quot;Arsip&quot;"));
  CHECK(SpacedNip("198501152010031002") == "19850115 201003 1 002");
}

TEST_CASE("latih cards writes a card for each participant of the training", "[client][cards]") {
  test::TempDir dir;
  const std::string db = dir.File("o.db");
  REQUIRE(test::RunCli({"--db", db, "init", "--office", "52.71.01.1004"}).exit_code == 0);
  for (int n : {1, 2, 3}) {
    REQUIRE(test::RunCli({"--db", db, "employee", "add", "--nip", test::TestNip(n), "--name",
                          "Peserta " + std::to_string(n)}).exit_code == 0);
  }
  const auto training = test::RunCli({"--db", db, "training", "add", "--title", "Bimtek", "--form", "1",
                                      "--competency", "teknis", "--start", "2026-03-02", "--end", "2026-03-02",
                                      "--jp", "8"});
  REQUIRE(training.exit_code == 0);
  const std::string id = training.out.substr(0, training.out.find('\n'));
  const std::string out = dir.File("kartu.html");
  const auto made = test::RunCli({"--db", db, "cards", "--training", id, "--out", out});
  INFO(made.err);
  REQUIRE(made.exit_code == 0);
  std::ifstream in(out);
  std::stringstream page;
  page << in.rdbuf();
  CHECK(Occurrences(page.str(), "class=\"card\"") == 3);
  CHECK_THAT(page.str(), Catch::Contains("Peserta 2"));
  CHECK(test::RunCli({"--db", db, "cards", "--training", "nope"}).exit_code == 4);
}

}  // namespace latih::client
