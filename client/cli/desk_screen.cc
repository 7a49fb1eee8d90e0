// `latih desk --session ID`: the full-screen attendance desk (ncursesw) over
// client::Desk. One line to type a name or NIP into (a scanner types the NIP
// and Enter), the matching participants under it, a line that says what the
// last key did. Every check-in is committed by Desk before the screen shows
// it. The only file that includes curses.
#include "client/cli/desk_screen.h"

#define NCURSES_WIDECHAR 1
#define NCURSES_NOMACROS 1  // functions, not macros: move() and erase() would shadow std::move and string::erase
#include <ncursesw/curses.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <clocale>
#include <fstream>
#include <cstdlib>
#include <cstring>
#include <langinfo.h>
#include <time.h>

#include "client/lib/desk.h"
#include "client/lib/messages.h"
#include "sync/domain/vocab.h"

namespace latih::client::cli {
namespace {

constexpr int kMinColumns = 60, kMinRows = 12;
constexpr std::array<std::string_view, 5> kStatuses = {"hadir", "terlambat", "izin", "sakit", "dinas_luar"};
// The scores view's kinds, in Tab order: the post-test first (the end of a
// session is when a desk records scores).
constexpr std::array<ScoreKind, 3> kScoreKinds = {ScoreKind::kPostTest, ScoreKind::kPreTest, ScoreKind::kReaction};
constexpr int kCtrlC = 3, kCtrlQ = 17, kCtrlZ = 26, kEscape = 27;

enum Color : short { kOk = 1, kWarn = 2, kBad = 3 };

std::string Label(std::string_view status) {
  for (const auto& e : domain::AttendanceStatuses()) {
    if (e.code == status) return std::string(e.label);
  }
  return status.empty() ? std::string(Say(Msg::kDeskNotYet)) : std::string(status);
}

std::string TimeOf(const std::string& at) { return at.size() >= 16 ? at.substr(11, 5) : at; }

std::string KindLabel(ScoreKind kind) {
  switch (kind) {
    case ScoreKind::kPreTest: return std::string(Say(Msg::kDeskPreTest));
    case ScoreKind::kPostTest: return std::string(Say(Msg::kDeskPostTest));
    case ScoreKind::kReaction: break;
  }
  return std::string(Say(Msg::kDeskReaction));
}

// A score as the desk shows it: "85", "82.5"; "-" for none.
std::string ScoreText(const std::optional<double>& score) {
  return score ? sync::ValueToText(*score) : std::string("-");
}

// The scores of a person on one list line: "Post-test 85  Pre-test 60  Reaksi -".
std::string ScoresOf(const DeskScores& scores) {
  std::string out;
  for (ScoreKind kind : kScoreKinds) {
    if (!out.empty()) out += "  ";
    out += KindLabel(kind) + " " + ScoreText(scores.Of(kind));
  }
  return out;
}

// Display columns of UTF-8 text, counted as code points (names are
// alphabetic; no wide or combining characters expected).
size_t Columns(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;
  return n;
}

// `text` cut or padded to `width` columns.
std::string Fit(std::string_view text, size_t width) {
  std::string out;
  size_t cols = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (cols == width) break;
      ++cols;
    }
    out += text[i];
  }
  out.append(width - cols, ' ');
  return out;
}

void PopCodePoint(std::string& s) {
  while (!s.empty()) {
    const auto c = static_cast<unsigned char>(s.back());
    s.pop_back();
    if ((c & 0xC0) != 0x80) break;
  }
}

void AppendUtf8(std::string& s, wchar_t wc) {
  const auto c = static_cast<uint32_t>(wc);
  if (c < 0x80) {
    s += static_cast<char>(c);
  } else if (c < 0x800) {
    s += static_cast<char>(0xC0 | (c >> 6));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x110000) {
    s += static_cast<char>(0xF0 | (c >> 18));
    s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// True when `text` is a whole NIP (18 digits, spaces allowed): what a
// scanner types.
// This thread's CPU time, µs (what a check-in costs whatever else runs).
int64_t CpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t{ts.tv_sec} * 1'000'000 + ts.tv_nsec / 1000;
}

bool IsWholeNip(std::string_view text) {
  size_t digits = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') ++digits;
    else if (c != ' ') return false;
  }
  return digits == 18;
}

class Screen {
 public:
  Screen(OfficeDb& db, Desk& desk) : db_(db), desk_(desk) { status_ = DefaultStatus(); }

  // Runs until the clerk quits; returns the process exit code.
  int Run() {
    Draw();
    for (bool running = true; running;) {
      wint_t key = 0;
      int got = get_wch(&key);
      if (got == ERR) continue;
      const auto start = std::chrono::steady_clock::now();
      const int64_t cpu_start = CpuMicros();
      const size_t recorded = check_ins_;
      // Every key already typed (a scanner types a NIP and Enter at once)
      // is handled before the one redraw after them.
      nodelay(stdscr, TRUE);
      for (; got != ERR && running; got = get_wch(&key)) {
        running = got == KEY_CODE_YES ? OnKey(static_cast<int>(key)) : OnChar(static_cast<wchar_t>(key));
      }
      nodelay(stdscr, FALSE);
      if (!running) break;
      const auto drawn = std::chrono::steady_clock::now();
      Draw();
      const auto end = std::chrono::steady_clock::now();
      busy_us_ += std::chrono::duration_cast<std::chrono::microseconds>(end - start).count();
      draw_us_ += std::chrono::duration_cast<std::chrono::microseconds>(end - drawn).count();
      cpu_us_ += CpuMicros() - cpu_start;
      if (check_ins_ != recorded) {  // the keys of this check-in, its Enter and redraw included
        timings_us_.push_back({busy_us_, draw_us_, cpu_us_});
        busy_us_ = draw_us_ = cpu_us_ = 0;
      }
    }
    return kExitOk;
  }

  // Program time of each check-in (every key since the one before), in µs.
  // For each: all of it (wall clock), the part spent drawing (writing to
  // the terminal), and the CPU time the desk used in it.
  struct Timing {
    int64_t us, draw_us, cpu_us;
  };
  const std::vector<Timing>& timings_us() const { return timings_us_; }

 private:
  enum class View { kCheckIn, kScores };
  // kScoreValue: typing a score for pending_nip_; kImportPath: typing the
  // path of the scores CSV.
  enum class Mode { kSearch, kConfirmChange, kWalkInName, kScoreValue, kImportPath };

  // The line the keys type into in the current mode.
  std::string& Input() {
    switch (mode_) {
      case Mode::kWalkInName: return walk_in_name_;
      case Mode::kScoreValue:
      case Mode::kImportPath: return typed_;
      default: return query_;
    }
  }

  std::string DefaultStatus() {
    // After the session's start, today, people arrive late.
    auto now = db_.LocalTimestamp();
    if (now.ok() && now->substr(0, 10) == desk_.date() && !desk_.start_time().empty() &&
        now->substr(11, 5) > desk_.start_time()) {
      return "terlambat";
    }
    return "hadir";
  }

  void Tell(Color color, std::string text) {
    message_color_ = color;
    message_ = std::move(text);
  }

  // Control characters and printable text.
  bool OnChar(wchar_t c) {
    switch (c) {
      case kCtrlC:
      case kCtrlQ: return false;
      case kCtrlZ: Undo(); return true;
      case kEscape: Cancel(); return true;
      case L'\t': Cycle(1); return true;
      case L'\n':
      case L'\r': Enter(); return true;
      case 8:
      case 127: Backspace(); return true;
      default: break;
    }
    if (c < 32) return true;
    AppendUtf8(Input(), c);
    if (mode_ == Mode::kSearch) Refilter();
    return true;
  }

  bool OnKey(int key) {
    switch (key) {
      case KEY_F(10): return false;
      case KEY_F(5): Undo(); break;
      case KEY_F(3): StartWalkIn(); break;
      case KEY_F(6): SwitchView(); break;
      case KEY_F(7): StartImport(); break;
      case KEY_BTAB: Cycle(-1); break;
      case KEY_UP: selected_ = std::max(0, selected_ - 1); break;
      case KEY_DOWN: selected_ = std::min(static_cast<int>(matches_.size()) - 1, selected_ + 1); break;
      case KEY_ENTER: Enter(); break;
      case KEY_BACKSPACE: Backspace(); break;
      default: break;  // KEY_RESIZE and the rest: a redraw
    }
    selected_ = std::max(0, selected_);
    return true;
  }

  void Backspace() {
    PopCodePoint(Input());
    if (mode_ == Mode::kSearch) Refilter();
  }

  void Cancel() {
    mode_ = Mode::kSearch;
    query_.clear();
    walk_in_name_.clear();
    unknown_nip_.clear();
    typed_.clear();
    Refilter();
  }

  // Tab: the next check-in's status, or in the scores view the kind of score.
  void Cycle(int step) {
    if (mode_ == Mode::kScoreValue || mode_ == Mode::kImportPath) return;
    if (view_ == View::kScores) {
      const int n = static_cast<int>(kScoreKinds.size());
      int at = 0;
      while (at < n && kScoreKinds[static_cast<size_t>(at)] != score_kind_) ++at;
      score_kind_ = kScoreKinds[static_cast<size_t>((at + step + n) % n)];
      return;
    }
    const int n = static_cast<int>(kStatuses.size());
    int at = 0;
    while (at < n && kStatuses[static_cast<size_t>(at)] != status_) ++at;
    status_ = std::string(kStatuses[static_cast<size_t>((at + step + n) % n)]);
    mode_ = mode_ == Mode::kConfirmChange ? Mode::kSearch : mode_;
  }

  // F6: between checking people in and recording their scores.
  void SwitchView() {
    view_ = view_ == View::kCheckIn ? View::kScores : View::kCheckIn;
    Cancel();
    message_.clear();
  }

  void Refilter() {
    matches_ = desk_.Search(query_, 200);
    selected_ = 0;
  }

  void Enter() {
    if (mode_ == Mode::kWalkInName) return SaveWalkIn();
    if (mode_ == Mode::kScoreValue) return SaveScore();
    if (mode_ == Mode::kImportPath) return Import();
    if (view_ == View::kScores) return StartScore();
    if (mode_ == Mode::kConfirmChange) {
      mode_ = Mode::kSearch;
      return Show(desk_.CheckIn(pending_nip_, pending_status_, pending_method_, /*allow_change=*/true));
    }
    if (IsWholeNip(query_) && !desk_.FindNip(query_)) {
      // Scanned, not on the roster: perhaps registered all the same
      // (another office's employee); else offer a walk-in.
      auto done = desk_.CheckIn(query_, status_, "qr", false);
      if (done.status().code() == StatusCode::kNotFound) {
        unknown_nip_ = query_;
        Tell(kWarn, Say(Msg::kDeskUnknownNip, {query_}));
        query_.clear();
        Refilter();
        return;
      }
      return Show(std::move(done), query_, "qr");
    }
    if (matches_.empty()) {
      if (!query_.empty()) Tell(kWarn, Say(Msg::kDeskNoMatch, {query_}));
      return;
    }
    const DeskPerson* person = matches_[static_cast<size_t>(selected_)];
    const std::string method = IsWholeNip(query_) ? "qr" : "manual";
    const std::string nip = person->nip;
    Show(desk_.CheckIn(nip, status_, method, false), nip, method);
  }

  // Reports a check-in; `nip` and `method` are for a change to confirm.
  void Show(Result<DeskCheckIn> done, const std::string& nip = "", const std::string& method = "") {
    if (!done.ok()) {
      Tell(kBad, Say(Msg::kDeskError, {done.status().message()}));
      return;
    }
    const DeskPerson& p = done->person;
    if (done->kind == DeskCheckIn::Kind::kAlreadyPresent) {
      if (done->previous_status != status_ && !nip.empty()) {
        mode_ = Mode::kConfirmChange;
        pending_nip_ = nip;
        pending_status_ = status_;
        pending_method_ = method;
        Tell(kWarn, Say(Msg::kDeskConfirmChange, {p.name, Label(done->previous_status), Label(status_)}));
        return;
      }
      Tell(kWarn, Say(Msg::kDeskAlready, {p.name, Label(done->previous_status), TimeOf(done->previous_at)}));
    } else {
      std::string text = Say(Msg::kDeskCheckedIn, {Label(p.status), p.name, TimeOf(p.checked_in_at)});
      if (p.minutes_late && *p.minutes_late > 0) text += Say(Msg::kDeskLate, {std::to_string(*p.minutes_late)});
      if (done->walk_in) text = Say(Msg::kDeskWalkIn, {p.name});
      Tell(kOk, std::move(text));
      ++check_ins_;
    }
    query_.clear();
    status_ = DefaultStatus();  // a chosen status is for one check-in
    Refilter();
  }

  void StartWalkIn() {
    if (unknown_nip_.empty()) return;
    mode_ = Mode::kWalkInName;
    walk_in_name_.clear();
  }

  void SaveWalkIn() {
    mode_ = Mode::kSearch;
    auto done = desk_.CheckInWalkIn(unknown_nip_, walk_in_name_, status_, "qr");
    unknown_nip_.clear();
    walk_in_name_.clear();
    Show(std::move(done));
  }

  // Enter in the scores view: the chosen person (or a scanned NIP) gets a
  // score typed next.
  void StartScore() {
    std::string nip, name;
    if (IsWholeNip(query_) && !desk_.FindNip(query_)) {
      nip = name = query_;  // registered elsewhere perhaps: RecordScore decides
    } else if (!matches_.empty()) {
      const DeskPerson* person = matches_[static_cast<size_t>(selected_)];
      nip = person->nip;
      name = person->name;
    } else {
      if (!query_.empty()) Tell(kWarn, Say(Msg::kDeskNoMatch, {query_}));
      return;
    }
    mode_ = Mode::kScoreValue;
    pending_nip_ = nip;
    pending_name_ = name;
    typed_.clear();
  }

  void SaveScore() {
    auto done = desk_.RecordScore(pending_nip_, score_kind_, typed_);
    if (!done.ok()) {
      // A mistyped score keeps the prompt, to be corrected; anything else
      // (an unregistered NIP) ends it.
      Tell(kBad, Say(Msg::kDeskError, {done.status().message()}));
      if (done.status().code() != StatusCode::kInvalidArgument) Cancel();
      return;
    }
    mode_ = Mode::kSearch;
    typed_.clear();
    Tell(kOk, Say(Msg::kDeskScoreSaved, {KindLabel(score_kind_), done->name, ScoreText(done->scores.Of(score_kind_))}));
    query_.clear();
    Refilter();
  }

  void StartImport() {
    if (view_ != View::kScores) return;
    mode_ = Mode::kImportPath;
    typed_.clear();
  }

  void Import() {
    const std::string path = typed_;
    const std::string file = path.substr(path.find_last_of('/') + 1);  // the message names the file, briefly
    auto report = desk_.ImportScores(path);
    if (!report.ok()) return Tell(kBad, Say(Msg::kDeskError, {report.status().message()}));
    mode_ = Mode::kSearch;
    typed_.clear();
    if (!report->errors.empty()) {
      const LineError& first = report->errors.front();
      return Tell(kBad, Say(Msg::kDeskImportRefused, {file, std::to_string(report->errors.size()),
                                                      std::to_string(report->records), std::to_string(first.line),
                                                      first.message}));
    }
    Tell(kOk, Say(Msg::kDeskImported, {file, std::to_string(report->records), std::to_string(report->created),
                                       std::to_string(report->updated), std::to_string(report->unchanged),
                                       std::to_string(report->skipped)}));
    Refilter();
  }

  void Undo() {
    if (mode_ == Mode::kScoreValue || mode_ == Mode::kImportPath) return;  // Ctrl+Z while typing: nothing
    mode_ = Mode::kSearch;
    auto undone = desk_.Undo();
    if (!undone.ok()) return Tell(kBad, Say(Msg::kDeskError, {undone.status().message()}));
    if (!*undone) return Tell(kWarn, std::string(Say(Msg::kDeskNothingToUndo)));
    Tell(kOk, Say(Msg::kDeskUndone, {(*undone)->name, view_ == View::kScores ? ScoresOf((*undone)->scores)
                                                                             : Label((*undone)->status)}));
    Refilter();
  }

  void Line(int row, std::string_view text, attr_t attrs = A_NORMAL) {
    const size_t width = static_cast<size_t>(COLS);
    attrset(static_cast<int>(attrs));
    mvaddstr(row, 0, Fit(text, width > 0 ? width - 1 : 0).c_str());
    attrset(A_NORMAL);
  }

  void Draw() {
    erase();
    if (COLS < kMinColumns || LINES < kMinRows) {
      Line(0, Say(Msg::kDeskTooSmall, {std::to_string(kMinColumns), std::to_string(kMinRows)}));
      refresh();
      return;
    }
    const DeskCounts c = desk_.Counts();
    Line(0, Say(Msg::kDeskTitleLine, {Say(Msg::kDeskTitle, {desk_.training_title(), desk_.date(), desk_.start_time()})}),
         A_BOLD);
    Line(1, Say(Msg::kDeskCounts, {std::to_string(c.present), std::to_string(c.excused),
                                   std::to_string(c.not_yet), std::to_string(c.total)}));
    Line(2, view_ == View::kScores ? Say(Msg::kDeskScoreMode, {KindLabel(score_kind_)})
                                   : Say(Msg::kDeskStatus, {Label(status_)}));
    mvhline(3, 0, ACS_HLINE, COLS);
    const int list_top = 5, list_end = LINES - 3;
    // "> name NIP  state": the state is a status and time, or three scores.
    const int state_width = view_ == View::kScores ? 40 : 22;
    const int name_width = std::max(20, COLS - 2 - 1 - 18 - 2 - state_width);
    for (int i = 0; i < static_cast<int>(matches_.size()) && list_top + i < list_end; ++i) {
      const DeskPerson& p = *matches_[static_cast<size_t>(i)];
      std::string state = Label(p.status);
      if (!p.checked_in_at.empty()) state += " " + TimeOf(p.checked_in_at);
      if (view_ == View::kScores) state = ScoresOf(p.scores);
      const std::string text = std::string(i == selected_ ? "> " : "  ") +
                               Fit(p.name + (p.needs_review ? " *" : ""), static_cast<size_t>(name_width)) + " " +
                               p.nip + "  " + state;
      Line(list_top + i, text, i == selected_ ? A_REVERSE : A_NORMAL);
    }
    mvhline(LINES - 3, 0, ACS_HLINE, COLS);
    if (!message_.empty()) {
      const attr_t color = has_colors() ? static_cast<attr_t>(COLOR_PAIR(message_color_)) : A_NORMAL;
      Line(LINES - 2, message_, color | A_BOLD);
    }
    Line(LINES - 1, Say(view_ == View::kScores ? Msg::kDeskScoreKeys : Msg::kDeskKeys), A_DIM);
    // The input line last, so that the cursor stays there.
    std::string prompt;
    switch (mode_) {
      case Mode::kWalkInName: prompt = Say(Msg::kDeskWalkInName, {unknown_nip_}) + walk_in_name_; break;
      case Mode::kScoreValue:
        prompt = (score_kind_ == ScoreKind::kReaction ? Say(Msg::kDeskReactionPrompt, {pending_name_})
                                                      : Say(Msg::kDeskScorePrompt, {KindLabel(score_kind_),
                                                                                    pending_name_})) +
                 typed_;
        break;
      case Mode::kImportPath: prompt = std::string(Say(Msg::kDeskImportPrompt)) + typed_; break;
      default: prompt = std::string(Say(Msg::kDeskSearch)) + query_; break;
    }
    Line(4, prompt);
    move(4, static_cast<int>(std::min<size_t>(Columns(prompt), static_cast<size_t>(COLS - 1))));
    refresh();
  }

  OfficeDb& db_;
  Desk& desk_;
  View view_ = View::kCheckIn;
  Mode mode_ = Mode::kSearch;
  ScoreKind score_kind_ = ScoreKind::kPostTest;
  std::string query_, walk_in_name_, unknown_nip_, status_, typed_;
  std::string pending_nip_, pending_name_, pending_status_, pending_method_;
  std::vector<const DeskPerson*> matches_;
  int selected_ = 0;
  std::string message_;
  Color message_color_ = kOk;
  size_t check_ins_ = 0;
  int64_t busy_us_ = 0, draw_us_ = 0, cpu_us_ = 0;
  std::vector<Timing> timings_us_;
};

// ncursesw reads and writes UTF-8 only under a UTF-8 LC_CTYPE; latih's data
// is UTF-8 whatever the locale says. Numbers and messages keep the "C"
// locale (LC_NUMERIC stays untouched).
void UseUtf8Ctype() {
  if (std::setlocale(LC_CTYPE, "") && std::strcmp(nl_langinfo(CODESET), "UTF-8") == 0) return;
  std::setlocale(LC_CTYPE, "C.UTF-8");
}

}  // namespace

void AddDeskCommand(CLI::App& app, CliContext& ctx) {
  auto* cmd = app.add_subcommand("desk", Help(Msg::kHelpDesk));
  static std::string session;
  cmd->add_option("--session", session, Help(Msg::kHelpDeskSession))->required();
  cmd->callback([&ctx] { ctx.exit_code = RunDesk(ctx, session); });
}

int RunDesk(CliContext& ctx, const std::string& session_id) {
  if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
    std::cerr << Say(Msg::kCliError, {Say(Msg::kDeskNeedsTerminal)}) << "\n";
    return kExitUsage;
  }
  auto db = ctx.Open();
  if (!db.ok()) return ctx.Fail(db.status());
  auto desk = Desk::Open(**db, session_id);
  if (!desk.ok()) return ctx.Fail(desk.status());
  UseUtf8Ctype();
  setenv("ESCDELAY", "25", 0);  // Esc clears at once, not after a second
  initscr();
  raw();  // Ctrl+C and Ctrl+Z reach the desk (quit, undo) instead of the terminal
  noecho();
  keypad(stdscr, TRUE);
  if (has_colors()) {
    start_color();
    use_default_colors();
    init_pair(kOk, COLOR_GREEN, -1);
    init_pair(kWarn, COLOR_YELLOW, -1);
    init_pair(kBad, COLOR_RED, -1);
  }
  Screen screen(**db, **desk);
  const int code = screen.Run();
  endwin();
  // tests/tools/desk_bench.sh: each check-in's program time, the part of it
  // spent drawing and the CPU time, in µs, one line each.
  if (const char* timings = std::getenv("LATIH_DESK_TIMINGS"); timings && *timings) {
    std::ofstream out(timings);
    for (const auto& t : screen.timings_us()) out << t.us << " " << t.draw_us << " " << t.cpu_us << "\n";
  }
  const DeskCounts c = (*desk)->Counts();
  std::cout << Say(Msg::kDeskCounts, {std::to_string(c.present), std::to_string(c.excused),
                                      std::to_string(c.not_yet), std::to_string(c.total)})
            << "\n";
  return code;
}

}  // namespace latih::client::cli
