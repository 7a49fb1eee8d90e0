// Checkpointer: runs a database's WAL checkpoints on its own thread and
// connection, for a long-running process whose writing connection should
// never pay for them (latih-server). With SQLite's automatic checkpoints,
// the commit that crosses the threshold copies the WAL into the database
// file and fsyncs it, inside the request that happened to cross it: 15 % of
// a server's push time at 100,000 rows (docs/BENCHMARKS.md). A PASSIVE
// checkpoint on another connection runs beside the writer, never blocks it.
//
// It replaces the writer's automatic checkpoints with the same trigger: a
// WAL hook on the writer wakes the thread when a commit leaves the WAL at
// `min_wal_frames` or more. Start and destroy it from the thread that owns
// the writer, while that connection is idle.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sync/sqlite/db.h"

namespace latih::sync::sqlite {

class Checkpointer {
 public:
  struct Options {
    int min_wal_frames = 2000;  // 8 MiB of 4 KiB pages
  };

  // Opens its own connection to `writer`'s file and hooks `writer`, which
  // must outlive the Checkpointer. `log` gets a line per failed checkpoint.
  static Result<std::unique_ptr<Checkpointer>> Start(Db& writer, const Options& options,
                                                     std::function<void(const std::string&)> log);
  // Stops the thread and gives the writer its automatic checkpoints back.
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Checkpoints the thread has run (for tests).
  int64_t passes() const;

 private:
  Checkpointer(Db& writer, std::unique_ptr<Db> own, const Options& options,
               std::function<void(const std::string&)> log);
  void Loop();

  Db& writer_;
  std::unique_ptr<Db> own_;  // used by the thread alone
  const Options options_;
  std::function<void(const std::string&)> log_;
  mutable std::mutex mu_;  // guards the three below
  std::condition_variable wake_;
  bool stop_ = false;
  bool due_ = false;
  int64_t passes_ = 0;
  std::thread thread_;
};

}  // namespace latih::sync::sqlite
