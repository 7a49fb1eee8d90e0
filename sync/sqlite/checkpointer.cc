#include "sync/sqlite/checkpointer.h"

namespace latih::sync::sqlite {

Result<std::unique_ptr<Checkpointer>> Checkpointer::Start(Db& writer, const Options& options,
                                                          std::function<void(const std::string&)> log) {
  LATIH_ASSIGN_OR_RETURN(auto own, Db::Open(writer.path(), Db::Mode::kOpenExisting));
  std::unique_ptr<Checkpointer> c(new Checkpointer(writer, std::move(own), options, std::move(log)));
  c->thread_ = std::thread([raw = c.get()] { raw->Loop(); });
  Checkpointer* raw = c.get();
  writer.SetWalHook([raw](int frames) {
    if (frames < raw->options_.min_wal_frames) return;
    {
      std::lock_guard<std::mutex> lock(raw->mu_);
      raw->due_ = true;
    }
    raw->wake_.notify_one();
  });
  return c;
}

Checkpointer::Checkpointer(Db& writer, std::unique_ptr<Db> own, const Options& options,
                           std::function<void(const std::string&)> log)
    : writer_(writer), own_(std::move(own)), options_(options), log_(std::move(log)) {}

Checkpointer::~Checkpointer() {
  writer_.SetWalHook(nullptr);
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int64_t Checkpointer::passes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return passes_;
}

void Checkpointer::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stop_ || due_; });
    if (stop_) return;
    due_ = false;
    lock.unlock();
    const Status s = own_->CheckpointPassive();
    if (!s.ok() && log_) log_("checkpoint failed: " + s.ToString());
    lock.lock();
    ++passes_;
  }
}

}  // namespace latih::sync::sqlite
