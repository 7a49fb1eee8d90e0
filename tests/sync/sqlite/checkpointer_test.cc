#include "sync/sqlite/checkpointer.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <thread>

#include "tests/support/test_support.h"

namespace latih::sync::sqlite {
namespace {

using test::TempDir;

// Commits `rows` rows of 1 KiB in one transaction.
void Fill(Db& db, int rows) {
  auto txn = Transaction::Begin(db);
  REQUIRE_OK(txn.status());
  for (int i = 0; i < rows; ++i) {
    auto s = db.Prepare("INSERT INTO blob(v) VALUES (zeroblob(1024))");
    REQUIRE_OK(s.status());
    REQUIRE_OK((*s)->Run());
  }
  REQUIRE_OK((*txn)->Commit());
}

// Waits for `done` for at most 20 s; a deadline, not a measurement.
template <typename F>
bool WaitFor(F done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

TEST_CASE("the checkpointer copies a long WAL into the database off the writer's thread", "[sync][checkpoint]") {
  TempDir dir;
  const std::string path = dir.File("c.db");
  auto db = Db::Open(path, Db::Mode::kCreate);
  REQUIRE_OK(db.status());
  REQUIRE_OK((*db)->Exec("CREATE TABLE blob(v BLOB)"));
  const auto db_bytes = [&] { return std::filesystem::file_size(path); };
  const auto before = db_bytes();

  auto checkpointer = Checkpointer::Start(**db, {/*min_wal_frames=*/100}, nullptr);
  REQUIRE_OK(checkpointer.status());
  Fill(**db, 50);  // under 100 frames: left in the WAL
  Fill(**db, 500);  // over: the writer's commit only wakes the thread
  REQUIRE(WaitFor([&] { return (*checkpointer)->passes() >= 1; }));
  // The pages reached the database file itself.
  CHECK(db_bytes() > before + 500 * 1024);

  // Gone, it gives the writer its automatic checkpoints back: the writer
  // works on, and the data is all there.
  checkpointer->reset();
  Fill(**db, 10);
  auto count = (*db)->Prepare("SELECT count(*) FROM blob");
  REQUIRE_OK(count.status());
  REQUIRE_OK((*count)->Step().status());
  CHECK((*count)->ColumnInt(0) == 560);
}

}  // namespace
}  // namespace latih::sync::sqlite
