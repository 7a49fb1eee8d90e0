// Issue 5, scenarios 1-3: the real `latih` client and `latih-server` on a
// bad link. A FaultProxy (tests/tools/fault_proxy.h) in front of the server
// adds the delay, the cuts, the stalls and the link going down; where the
// machine allows, its listening socket and the client live in a network
// namespace whose loopback drops packets (nft) and limits the rate (tbf),
// so that TCP itself meets the loss (tests/tools/net_namespace.h);
// elsewhere the proxy limits the rate and the loss is skipped, saying so.
// Each test prints the mechanism it used and its figures (ctest -V; they
// are in docs/RELIABILITY.md). tests/tools/bad_link.sh runs slower links
// and more data through the LATIH_BADLINK_* variables.
#include <signal.h>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <sstream>
#include <thread>

#include "client/lib/office_db.h"
#include "tests/support/server_process.h"
#include "tests/support/sync_views.h"
#include "tests/tools/fault_proxy.h"
#include "tests/tools/net_namespace.h"

namespace latih::test {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kSelatan = "52.71.01.1004";

// The link and the data of the scenarios; bad_link.sh overrides them.
struct Profile {
  int64_t kbit = 64;
  int64_t rtt_ms = 400;
  double loss_percent = 3;
  int64_t cut_bytes = 16 * 1024;
  int people = 150;   // workshop participants: two attendances and two tests each
  int surveys = 50;   // SKM responses of the day
  int backlog = 3000; // rows another desk recorded, for the large initial pull
  bool shaped_pull = false;  // the large pull on the scenario's link too (else on cuts alone)
};

Profile LinkProfile() {
  auto env = [](const char* name, double fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::strtod(v, nullptr) : fallback;
  };
  Profile p;
  p.kbit = static_cast<int64_t>(env("LATIH_BADLINK_KBIT", static_cast<double>(p.kbit)));
  p.rtt_ms = static_cast<int64_t>(env("LATIH_BADLINK_RTT_MS", static_cast<double>(p.rtt_ms)));
  p.loss_percent = env("LATIH_BADLINK_LOSS_PERCENT", p.loss_percent);
  p.cut_bytes = static_cast<int64_t>(env("LATIH_BADLINK_CUT_BYTES", static_cast<double>(p.cut_bytes)));
  p.people = static_cast<int>(env("LATIH_BADLINK_PEOPLE", p.people));
  p.surveys = static_cast<int>(env("LATIH_BADLINK_SURVEYS", p.surveys));
  p.backlog = static_cast<int>(env("LATIH_BADLINK_BACKLOG", p.backlog));
  p.shaped_pull = env("LATIH_BADLINK_SHAPED_PULL", 0) != 0;
  return p;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// How a BadLink makes the profile's link.
enum class Shape {
  kNamespace,  // rate (tbf) and loss (nft) in a network namespace, delay in the proxy;
               // kProxy where namespaces are not allowed
  kProxy,      // rate and delay in the proxy, no loss
  kNone,       // the proxy forwards untouched (until the test sets a fault)
};

// The link between the devices of a test and `server`: a FaultProxy in
// front of it, shaped as `shape` says. Devices enrolled through it keep
// its address.
class BadLink {
 public:
  BadLink(const ServerProcess& server, const Profile& p, Shape shape) {
    FaultProxy::Options o;
    o.target_port = server.port();
    if (shape == Shape::kNamespace) {
      auto ns = NetNamespace::Create();
      if (ns.ok()) {
        ns_ = std::move(ns).value();
        auto fd = ns_->Listen();
        REQUIRE_OK(fd.status());
        o.listen_fd = *fd;
      } else {
        mechanism_ = "no network namespace (" + ns.status().message() + "), so ";
      }
    }
    auto proxy = FaultProxy::Start(o);
    REQUIRE_OK(proxy.status());
    proxy_ = std::move(proxy).value();
    if (shape == Shape::kNone) {
      mechanism_ = "the proxy alone";
      return;
    }
    proxy_->SetDelay(Direction::kUp, p.rtt_ms / 2);
    proxy_->SetDelay(Direction::kDown, p.rtt_ms / 2);
    mechanism_ += "delay " + std::to_string(p.rtt_ms / 2) + " ms each way by the proxy";
    Result<std::string> rate = Status::Unavailable("no namespace");
    if (ns_) {
      auto loss = ns_->AddLoss(proxy_->port(), p.loss_percent);
      lossy_ = loss.ok();
      mechanism_ += "; loss: " + (lossy_ ? *loss : "SKIPPED: " + loss.status().message());
      rate = ns_->AddRate(p.kbit);
    } else {
      mechanism_ += "; loss: SKIPPED (it needs the namespace)";
    }
    if (rate.ok()) {
      mechanism_ += "; rate: " + *rate;
    } else {
      proxy_->SetRate(Direction::kUp, p.kbit * 1000 / 8);
      proxy_->SetRate(Direction::kDown, p.kbit * 1000 / 8);
      mechanism_ += "; rate: " + std::to_string(p.kbit) + " kbit/s each way by the proxy";
    }
  }

  FaultProxy& proxy() { return *proxy_; }
  const std::string& mechanism() const { return mechanism_; }

  // `latih --db db args...` on the device's side of the link.
  CliResult Cli(const std::string& db, std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    if (!ns_) return RunCli(args);
    auto [program, argv] = ns_->ExecArgs(LATIH_CLI_PATH, args);
    return RunProgram(program, argv);
  }

  // A new device of `office` enrolled with the server through this link.
  std::string Enroll(const ServerProcess& server, const TempDir& dir, const std::string& file,
                     const std::string& name) const {
    const std::string db = dir.File(file);
    REQUIRE(RunCli({"--db", db, "init", "--office", kSelatan}).exit_code == 0);
    const CliResult made =
        RunServerCli({"--db", server.db_path(), "device", "enroll", "--office", kSelatan, "--name", name});
    REQUIRE(made.exit_code == 0);
    const CliResult enrolled =
        Cli(db, {"enroll", "--server", proxy_->url(), "--token", made.out.substr(0, made.out.find('\n'))});
    INFO(enrolled.out << enrolled.err);
    REQUIRE(enrolled.exit_code == 0);
    return db;
  }

  // What the loss rule did so far.
  std::string LossFigures() const {
    if (!lossy_) return "no loss rule";
    auto c = ns_->CountLoss();
    REQUIRE_OK(c.status());
    return std::to_string(c->dropped) + " of " + std::to_string(c->seen + c->dropped) + " packets dropped";
  }

 private:
  std::unique_ptr<NetNamespace> ns_;  // outlives the proxy's socket in it
  std::unique_ptr<FaultProxy> proxy_;
  std::string mechanism_;
  bool lossy_ = false;
};

// Registers `n` employees on `db` (the office's roster).
void RegisterRoster(const std::string& db, int first_nip, int n) {
  auto office = client::OfficeDb::Open(db, sync::DefaultEnv());
  REQUIRE_OK(office.status());
  auto batch = (*office)->store().BeginWrite();
  REQUIRE_OK(batch.status());
  for (int i = 0; i < n; ++i) {
    client::EmployeeInput e;
    e.nip = TestNip(first_nip + i);
    e.name = "Pegawai " + std::to_string(first_nip + i);
    e.type = "pns";
    REQUIRE_OK((*office)->PutEmployee(**batch, e, false, false).status());
  }
  REQUIRE_OK((*batch)->Commit());
}

// A workshop day recorded offline on `db`: a training with two sessions,
// `n` employees of the roster attending both and taking a pre- and a
// post-test, and `surveys` SKM responses. Returns the rows written.
int RecordWorkshopDay(const std::string& db, const std::string& title, int first_nip, int n, int surveys) {
  auto office = client::OfficeDb::Open(db, sync::DefaultEnv());
  REQUIRE_OK(office.status());
  client::OfficeDb& o = **office;
  client::TrainingInput t;
  t.title = title;
  t.form = "4";
  t.competency = "teknis";
  t.jp = 8;
  t.start_date = t.end_date = "2026-03-02";
  auto training = o.AddTraining(t);
  REQUIRE_OK(training.status());
  int rows = 1;
  for (const char* start : {"08:00", "13:00"}) {
    client::SessionInput s;
    s.training_id = *training;
    s.date = "2026-03-02";
    s.start_time = start;
    s.jp = 4;
    auto session = o.AddSession(s);
    REQUIRE_OK(session.status());
    auto batch = o.store().BeginWrite();
    REQUIRE_OK(batch.status());
    for (int i = 0; i < n; ++i) {
      client::AttendInput a;
      a.session_id = *session;
      a.nip = TestNip(first_nip + i);
      a.status = i % 10 == 0 ? "terlambat" : "hadir";
      if (i % 10 == 0) a.note = "macet di Jalan Saleh Sungkar";
      REQUIRE_OK(o.Attend(**batch, a).status());
    }
    REQUIRE_OK((*batch)->Commit());
    rows += 1 + n;
  }
  for (int i = 0; i < n; ++i) {
    for (const char* kind : {"pre_test", "post_test"}) {
      client::EvaluateInput e;
      e.training_id = *training;
      e.nip = TestNip(first_nip + i);
      e.kind = kind;
      e.score = 40 + (i * 7 + (kind[1] == 'o' ? 30 : 0)) % 60;
      REQUIRE_OK(o.Evaluate(e).status());
    }
  }
  for (int i = 0; i < surveys; ++i) {
    client::SurveyInput s;
    s.period = "2026-S1";
    s.scores = i % 3 == 0 ? "4,3,4,4,3,4,4,3,4" : "3,3,4,3,4,4,3,3,4";
    s.gender = i % 2 == 0 ? "P" : "L";
    REQUIRE_OK(o.AddSurvey(s).status());
  }
  return rows + 2 * n + surveys;
}

// The figure before `word` in the CLI's summary ("653 rows", "5 requests").
int64_t FigureBefore(const std::string& summary, const std::string& word, size_t from = 0) {
  const auto at = summary.find(" " + word, from);
  REQUIRE(at != std::string::npos);
  return std::atoll(summary.c_str() + summary.rfind(' ', at - 1) + 1);
}

// The device holds exactly what its office sees on the server and has
// nothing left to push.
void RequireSameAsServer(const ServerProcess& server, const std::string& db) {
  auto d = OpenClientDb(db);
  REQUIRE(DumpTables(*d) == OfficeView(*OpenServerDb(server.db_path()), kSelatan));
  REQUIRE(*d->CountLocalCells() == 0);
}

// The server holds these many rows of the workshop tables, none twice.
void RequireServerRows(const ServerProcess& server, int64_t attendance, int64_t evaluations, int64_t surveys) {
  auto s = OpenServerDb(server.db_path());
  REQUIRE(Count(*s, "SELECT count(*) FROM attendance") == attendance);
  REQUIRE(Count(*s, "SELECT count(DISTINCT session_id || employee_id) FROM attendance") == attendance);
  REQUIRE(Count(*s, "SELECT count(*) FROM evaluation") == evaluations);
  REQUIRE(Count(*s, "SELECT count(DISTINCT training_id || employee_id || kind) FROM evaluation") == evaluations);
  REQUIRE(Count(*s, "SELECT count(*) FROM skm_response") == surveys);
}

// What one `latih sync` attempt left on the device.
struct Attempt {
  int exit_code = -1;
  int64_t push_watermark = 0, pull_cursor = 0;
};

Attempt DeviceState(const std::string& db, int exit_code) {
  auto state = OpenClientDb(db)->LoadSyncState();
  REQUIRE_OK(state.status());
  return {exit_code, state->push_watermark, state->pull_cursor};
}

// Runs `latih sync` on `db` through `link` until it succeeds, at most
// `max_attempts` times (as cron would, without the waits). Returns every
// attempt.
std::vector<Attempt> SyncUntilDone(const BadLink& link, const std::string& db, int max_attempts) {
  std::vector<Attempt> attempts;
  while (static_cast<int>(attempts.size()) < max_attempts) {
    const CliResult r = link.Cli(db, {"sync"});
    INFO(r.out << r.err);
    REQUIRE((r.exit_code == 0 || r.exit_code == 9));  // done, or unreachable: try again
    if (r.exit_code == 9) REQUIRE(r.err.find("cannot reach") != std::string::npos);
    attempts.push_back(DeviceState(db, r.exit_code));
    if (r.exit_code == 0) break;
  }
  return attempts;
}

// Progress is kept across cuts: neither watermark ever goes back, and
// every attempt cut short still moved one forward (it resumed from the last
// acknowledged batch and got at least one more through).
void RequireProgressEveryAttempt(const std::vector<Attempt>& attempts, Attempt last) {
  REQUIRE(attempts.back().exit_code == 0);
  for (size_t i = 0; i < attempts.size(); ++i) {
    INFO("attempt " << i + 1 << ": push watermark " << last.push_watermark << " -> " << attempts[i].push_watermark
                    << ", pull cursor " << last.pull_cursor << " -> " << attempts[i].pull_cursor);
    REQUIRE(attempts[i].push_watermark >= last.push_watermark);
    REQUIRE(attempts[i].pull_cursor >= last.pull_cursor);
    if (attempts[i].exit_code != 0) {
      REQUIRE((attempts[i].push_watermark > last.push_watermark || attempts[i].pull_cursor > last.pull_cursor));
    }
    last = attempts[i];
  }
}

std::string Trajectory(const std::vector<Attempt>& attempts, bool push) {
  std::ostringstream out;
  for (const Attempt& a : attempts) out << " " << (push ? a.push_watermark : a.pull_cursor);
  return out.str();
}

int64_t NodeOf(const std::string& db) { return Count(*OpenClientDb(db), "SELECT node_id FROM replica"); }

// The server log's sync lines of `node` that carried a push: those applied
// (`resends` false) or those acknowledged as a resend, not applied again.
int CountPushLines(const ServerProcess& server, int64_t node, bool resends) {
  std::istringstream log(server.Log());
  std::string line;
  int n = 0;
  while (std::getline(log, line)) {
    if (line.find(" node=" + std::to_string(node) + " ") == std::string::npos) continue;
    if (line.find(" push=") == std::string::npos) continue;
    n += (line.find(" resend=1") != std::string::npos) == resends;
  }
  return n;
}

// No change of `node` was applied twice: the seq ranges of its audited
// batches do not overlap, they hold `rows` rows in all, and there is one
// audit row per push the log shows applied.
void RequireAppliedOnce(const ServerProcess& server, int64_t node, int64_t rows) {
  auto s = OpenServerDb(server.db_path());
  auto q = s->db().PrepareOwned("SELECT first_seq, last_seq, rows FROM sync_audit WHERE node = ?1 ORDER BY first_seq");
  REQUIRE_OK(q.status());
  (*q)->Bind(1, node);
  int64_t previous_last = 0, total = 0, batches = 0;
  while (true) {
    auto row = (*q)->Step();
    REQUIRE_OK(row.status());
    if (!*row) break;
    INFO("batch " << (*q)->ColumnInt(0) << ".." << (*q)->ColumnInt(1) << " after one ending at " << previous_last);
    REQUIRE((*q)->ColumnInt(0) > previous_last);
    previous_last = (*q)->ColumnInt(1);
    total += (*q)->ColumnInt(2);
    ++batches;
  }
  REQUIRE(total == rows);
  REQUIRE(batches == CountPushLines(server, node, /*resends=*/false));
}

// Waits for `cond`, at most `seconds`: a condition with a deadline, not a
// guess of how long something takes.
template <typename Cond>
bool WaitFor(Cond cond, int seconds) {
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  while (!cond()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace

TEST_CASE("scenario 1: a workshop day syncs over 64 kbit/s, 400 ms RTT and 3% loss", "[backend][integration][badlink]") {
  const Profile p = LinkProfile();
  TempDir dir("/dev/shm");
  ServerProcess server(dir.File("server.db"));
  BadLink link(server, p, Shape::kNamespace);
  WARN("scenario 1 link: " << link.mechanism());
  const std::string a = link.Enroll(server, dir, "a.db", "Meja 1");
  RegisterRoster(a, 1, p.people);
  REQUIRE(link.Cli(a, {"sync"}).exit_code == 0);
  const int rows = RecordWorkshopDay(a, "Workshop Pelayanan Publik", 1, p.people, p.surveys);

  const ProxyStats before = link.proxy().stats();
  const auto start = Clock::now();
  const CliResult r = link.Cli(a, {"sync"});
  const double took = Seconds(Clock::now() - start);
  const ProxyStats after = link.proxy().stats();
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);  // one attempt: TCP rides out the loss
  REQUIRE(FigureBefore(r.out, "rows") == rows);
  WARN("scenario 1: " << rows << " rows in " << took << " s, one attempt, " << FigureBefore(r.out, "requests")
                      << " requests; " << after.bytes_up - before.bytes_up << " B up, "
                      << after.bytes_down - before.bytes_down << " B down on the wire; " << link.LossFigures());
  RequireServerRows(server, 2 * p.people, 2 * p.people, p.surveys);
  RequireSameAsServer(server, a);
}

TEST_CASE("scenario 2: with the connection cut every 16 KB a sync resumes from its last acknowledged batch",
          "[backend][integration][badlink]") {
  const Profile p = LinkProfile();
  TempDir dir("/dev/shm");
  ServerProcess server(dir.File("server.db"));
  BadLink link(server, p, Shape::kNamespace);
  BadLink clean(server, p, Shape::kNone);  // the same syncs on a perfect link: the bytes to compare with
  WARN("scenario 2 link: " << link.mechanism() << "; cut every " << p.cut_bytes << " B by the proxy");
  const std::string a = link.Enroll(server, dir, "a.db", "Meja 1");
  RegisterRoster(a, 1, p.people);
  REQUIRE(link.Cli(a, {"sync"}).exit_code == 0);
  const std::string b = clean.Enroll(server, dir, "b.db", "Meja 2");
  REQUIRE(clean.Cli(b, {"sync"}).exit_code == 0);
  const int b_rows = RecordWorkshopDay(b, "Workshop Meja 2", 1, p.people, p.surveys);
  const int64_t clean_up_before = clean.proxy().stats().bytes_up;
  REQUIRE(clean.Cli(b, {"sync"}).exit_code == 0);
  const int64_t clean_up = clean.proxy().stats().bytes_up - clean_up_before;

  SECTION("a workshop day is pushed, and Meja 2's pulled, each change applied once") {
    const int a_rows = RecordWorkshopDay(a, "Workshop Meja 1", 1, p.people, p.surveys);
    link.proxy().SetCutAfter(p.cut_bytes);
    const Attempt start = DeviceState(a, -1);
    const ProxyStats before = link.proxy().stats();
    const auto t0 = Clock::now();
    const std::vector<Attempt> attempts = SyncUntilDone(link, a, 30);
    const double took = Seconds(Clock::now() - t0);
    const ProxyStats after = link.proxy().stats();
    const int64_t up = after.bytes_up - before.bytes_up;
    const int resends = CountPushLines(server, NodeOf(a), /*resends=*/true);
    WARN("scenario 2, push: " << a_rows << " rows up and " << b_rows << " down in " << took << " s, "
                              << attempts.size() << " attempts, " << after.cuts - before.cuts << " cuts, "
                              << resends << " batches sent again; " << up << " B up = "
                              << static_cast<double>(up) / static_cast<double>(clean_up) << "x a clean sync's "
                              << clean_up << " B; push watermark" << Trajectory(attempts, true) << "; "
                              << link.LossFigures());
    RequireProgressEveryAttempt(attempts, start);
    REQUIRE(resends <= after.cuts - before.cuts);  // only an answer lost in a cut can make one
    RequireAppliedOnce(server, NodeOf(a), p.people + a_rows);
    REQUIRE(up < 3 * clean_up);
    RequireServerRows(server, 4 * p.people, 4 * p.people, 2 * p.surveys);
    RequireSameAsServer(server, a);
  }

  SECTION("a large initial pull resumes from its cursor") {
    // Meja 3 records a backlog on a good link; Meja 4, empty, pulls it all
    // through cuts, Meja 5 on the perfect link.
    const std::string d = EnrolledDevice(server, dir, "d.db", kSelatan, "Meja 3");
    RegisterRoster(d, 1001, p.backlog / 5);
    const int d_rows = p.backlog / 5 + RecordWorkshopDay(d, "Workshop Meja 3", 1001, p.backlog / 5, 0);
    REQUIRE(RunCli({"--db", d, "sync"}).exit_code == 0);
    const std::string e = clean.Enroll(server, dir, "e.db", "Meja 5");
    const int64_t clean_down_before = clean.proxy().stats().bytes_down;
    REQUIRE(clean.Cli(e, {"sync"}).exit_code == 0);
    const int64_t clean_down = clean.proxy().stats().bytes_down - clean_down_before;
    // Cuts alone by default: at 64 kbit/s the pull takes ~45 s (bad_link.sh).
    BadLink cutting(server, p, p.shaped_pull ? Shape::kNamespace : Shape::kNone);
    const std::string c = cutting.Enroll(server, dir, "c.db", "Meja 4");
    cutting.proxy().SetCutAfter(p.cut_bytes);
    const ProxyStats before = cutting.proxy().stats();
    const auto t0 = Clock::now();
    // Each attempt gets at least one ~16 KB batch through a cut: a larger
    // backlog (bad_link.sh long) needs more attempts than the default's.
    const std::vector<Attempt> attempts = SyncUntilDone(cutting, c, std::max(60, (p.people + b_rows + d_rows) / 100));
    const double took = Seconds(Clock::now() - t0);
    const ProxyStats after = cutting.proxy().stats();
    const int64_t down = after.bytes_down - before.bytes_down;
    WARN("scenario 2, initial pull on " << cutting.mechanism() << " cut every " << p.cut_bytes << " B: "
                                        << p.people + b_rows + d_rows << " rows in " << took << " s, "
                                        << attempts.size() << " attempts, " << after.cuts - before.cuts << " cuts; "
                                        << down << " B down = "
                                        << static_cast<double>(down) / static_cast<double>(clean_down)
                                        << "x a clean pull's " << clean_down << " B; pull cursor"
                                        << Trajectory(attempts, false));
    RequireProgressEveryAttempt(attempts, Attempt{});
    REQUIRE(attempts.size() > 1);  // it was cut, and resumed
    REQUIRE(down < 3 * clean_down);
    RequireSameAsServer(server, c);
    REQUIRE(DumpTables(*OpenClientDb(c)) == DumpTables(*OpenClientDb(e)));
  }
}

TEST_CASE("scenario 3: a stalled answer times out, is reported, and the next attempt or --watch recovers",
          "[backend][integration][badlink]") {
  const Profile p = LinkProfile();
  TempDir dir("/dev/shm");
  ServerProcess server(dir.File("server.db"));
  BadLink link(server, p, Shape::kNone);
  WARN("scenario 3 link: " << link.mechanism() << ": a stall, then the link down");
  const std::string a = link.Enroll(server, dir, "a.db", "Meja 1");
  RegisterRoster(a, 1, p.people);
  RecordWorkshopDay(a, "Workshop Pelayanan Publik", 1, p.people, p.surveys);
  REQUIRE(link.Cli(a, {"sync"}).exit_code == 0);

  SECTION("one-shot latih sync") {
    // Meja 2 pulls the day; the server stops answering 3 KB into the answers.
    const std::string b = link.Enroll(server, dir, "b.db", "Meja 2");
    link.proxy().StallAfter(3000);
    const auto t0 = Clock::now();
    const CliResult stalled = link.Cli(b, {"sync", "--stall-timeout", "2"});
    const double took = Seconds(Clock::now() - t0);
    INFO(stalled.out << stalled.err);
    REQUIRE(link.proxy().stalled());
    REQUIRE(stalled.exit_code == 9);  // unreachable: try again later
    REQUIRE(stalled.err.find("the transfer stalled, timed out") != std::string::npos);
    REQUIRE(link.Cli(b, {"status"}).out.find("stalled") != std::string::npos);  // reported there too
    const Attempt cut = DeviceState(b, 9);
    link.proxy().SetStalled(false);
    const CliResult resumed = link.Cli(b, {"sync"});
    INFO(resumed.out << resumed.err);
    REQUIRE(resumed.exit_code == 0);
    WARN("scenario 3, stall: latih sync gave up after " << took << " s (--stall-timeout 2; curl averages over ~5 s)"
                                                        << " with: " << stalled.err << "the next attempt pulled "
                                                        << FigureBefore(resumed.out, "rows", resumed.out.find("received"))
                                                        << " more rows from cursor " << cut.pull_cursor);
    RequireSameAsServer(server, b);
  }

  SECTION("latih sync --watch") {
    // Offline: the link is down when the watcher starts with a new change.
    RecordWorkshopDay(a, "Workshop Kearsipan", 1, 10, 5);
    link.proxy().SetLinkDown(true);
    BackgroundProgram watch(LATIH_CLI_PATH, {"--db", a, "sync", "--watch", "--poll", "3600", "--max-backoff", "1"});
    REQUIRE(WaitFor([&] { return watch.Err().find("sync failing for") != std::string::npos; }, 30));
    REQUIRE(link.proxy().stats().refused > 0);
    const auto up_at = Clock::now();
    link.proxy().SetLinkDown(false);
    REQUIRE(WaitFor([&] { return watch.Out().find("sync done") != std::string::npos; }, 30));
    const double took = Seconds(Clock::now() - up_at);
    REQUIRE(watch.Stop(SIGTERM) == 0);
    INFO(watch.Err());
    REQUIRE(watch.Err().find("sync works again after") != std::string::npos);
    WARN("scenario 3, --watch: " << link.proxy().stats().refused << " connections refused while down; synced "
                                 << took << " s after the link came back (--max-backoff 1)");
    RequireServerRows(server, 2 * p.people + 20, 2 * p.people + 20, p.surveys + 5);
    RequireSameAsServer(server, a);
  }
}

}  // namespace latih::test
