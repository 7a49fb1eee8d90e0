#include "client/lib/messages.h"

#include <array>
#include <cstdlib>

namespace latih::client {
namespace {

struct Entry {
  Msg id;
  std::string_view en, id_;
};

// In the order of Msg (checked below and by messages_test).
constexpr Entry kCatalog[] = {
    {Msg::kDeskTitle, "{1} - {2}, starts {3}", "{1} - {2}, mulai {3}"},
    {Msg::kDeskCounts, "Present {1}   Excused {2}   Not yet {3}   Total {4}",
     "Hadir {1}   Izin/sakit/DL {2}   Belum {3}   Total {4}"},
    {Msg::kDeskSearch, "Name or NIP: ", "Nama atau NIP: "},
    {Msg::kDeskStatus, "Next check-in: {1}  (Tab: change)", "Dicatat sebagai: {1}  (Tab: ganti)"},
    {Msg::kDeskKeys, "Enter check in   Up/Down choose   Tab status   F5 undo   F6 scores   F10 quit",
     "Enter catat   Atas/Bawah pilih   Tab status   F5 batalkan   F6 nilai   F10 keluar"},
    {Msg::kDeskNoMatch, "Nobody on the list matches \"{1}\".", "Tidak ada peserta yang cocok dengan \"{1}\"."},
    {Msg::kDeskNotYet, "not yet", "belum"},
    {Msg::kDeskCheckedIn, "OK {1}: {2} at {3}", "OK {1}: {2} pukul {3}"},
    {Msg::kDeskLate, " ({1} min late)", " (terlambat {1} menit)"},
    {Msg::kDeskAlready, "ALREADY RECORDED: {1} is {2} since {3}. Nothing changed.",
     "SUDAH TERCATAT: {1} {2} sejak {3}. Tidak ada yang diubah."},
    {Msg::kDeskConfirmChange, "{1} is recorded {2}. Press Enter again to record {3} instead, Esc to keep it.",
     "{1} tercatat {2}. Tekan Enter lagi untuk mengubah menjadi {3}, Esc untuk membiarkan."},
    {Msg::kDeskUnknownNip, "NIP {1} is not registered. F3: register a walk-in participant (for review).",
     "NIP {1} tidak terdaftar. F3: daftarkan peserta tamu (untuk diperiksa)."},
    {Msg::kDeskWalkInName, "Walk-in NIP {1}, name (Enter to save, Esc to cancel): ",
     "Peserta tamu NIP {1}, nama (Enter simpan, Esc batal): "},
    {Msg::kDeskWalkIn, "Walk-in {1} registered for review and checked in.",
     "Peserta tamu {1} didaftarkan (perlu diperiksa) dan dicatat."},
    {Msg::kDeskUndone, "Undone: {1} is now {2}.", "Dibatalkan: {1} sekarang {2}."},
    {Msg::kDeskNothingToUndo, "Nothing to undo.", "Tidak ada yang bisa dibatalkan."},
    {Msg::kDeskError, "ERROR: {1}", "GALAT: {1}"},
    {Msg::kDeskScoreMode, "Scores: {1}  (Tab: change, F6: back to check-in)",
     "Nilai: {1}  (Tab: ganti, F6: kembali ke presensi)"},
    {Msg::kDeskScoreKeys, "Enter score   Tab kind   F7 import CSV   F5 undo   F6 check-in   F10 quit",
     "Enter nilai   Tab jenis   F7 impor CSV   F5 batalkan   F6 presensi   F10 keluar"},
    {Msg::kDeskPreTest, "Pre-test", "Pre-test"},
    {Msg::kDeskPostTest, "Post-test", "Post-test"},
    {Msg::kDeskReaction, "Reaction", "Reaksi"},
    {Msg::kDeskScorePrompt, "{1} of {2}, 0-100 (Enter save, Esc cancel): ",
     "{1} {2}, 0-100 (Enter simpan, Esc batal): "},
    {Msg::kDeskReactionPrompt, "Reaction of {1}: a score, or material facilitator facilities schedule (0-100 each): ",
     "Reaksi {1}: satu nilai, atau materi fasilitator sarana jadwal (masing-masing 0-100): "},
    {Msg::kDeskScoreSaved, "OK {1}: {2} {3}", "OK {1}: {2} {3}"},
    {Msg::kDeskScoreFormat, "'{1}' is not one score from 0 to 100.", "'{1}' bukan satu nilai 0 sampai 100."},
    {Msg::kDeskReactionFormat, "'{1}' is neither one score nor four (material facilitator facilities schedule).",
     "'{1}' bukan satu nilai dan bukan empat nilai (materi fasilitator sarana jadwal)."},
    {Msg::kDeskImportPrompt, "Import scores from the CSV file (Enter import, Esc cancel): ",
     "Impor nilai dari berkas CSV (Enter impor, Esc batal): "},
    {Msg::kDeskImported, "Imported {1}: {2} lines; scores: {3} new, {4} changed, {5} unchanged; {6} lines without a score.",
     "Impor {1}: {2} baris; nilai: {3} baru, {4} diubah, {5} tetap; {6} baris tanpa nilai."},
    {Msg::kDeskImportRefused, "{1}: {2} of {3} lines are invalid, nothing was imported. Line {4}: {5}",
     "{1}: {2} dari {3} baris tidak valid, tidak ada yang diimpor. Baris {4}: {5}"},
    {Msg::kScoreNotNumber, "score '{1}' is not a number from 0 to 100", "nilai '{1}' bukan angka 0 sampai 100"},
    {Msg::kTrainingNotFound, "training '{1}' does not exist (see `latih training list`)",
     "pelatihan '{1}' tidak ada (lihat `latih training list`)"},
    {Msg::kElearningBadJp, "JP '{1}' is not a number above 0 and at most 100",
     "JP '{1}' bukan angka di atas 0 dan paling banyak 100"},
    {Msg::kElearningBadColumnKey, "--column '{1}': the keys are nip, email, name, course, jp, completed",
     "--column '{1}': kuncinya nip, email, name, course, jp, completed"},
    {Msg::kElearningNeedsCourse, "{1} has no course column: give the course's title with --course",
     "{1} tidak punya kolom kursus: sebutkan judul kursus dengan --course"},
    {Msg::kElearningNeedsJp, "{1} has no JP column: give the course's JP with --jp",
     "{1} tidak punya kolom JP: sebutkan JP kursus dengan --jp"},
    {Msg::kElearningBadDate, "completion '{1}' is not a date (2026-03-07, 07/03/2026 or 7 March 2026)",
     "penyelesaian '{1}' bukan tanggal (2026-03-07, 07/03/2026 atau 7 Maret 2026)"},
    {Msg::kElearningNoCourse, "the course is empty (and no --course was given)",
     "kursus kosong (dan --course tidak diberikan)"},
    {Msg::kElearningNoJp, "course '{1}' has no JP on this line (and no --jp was given)",
     "kursus '{1}' tidak punya JP di baris ini (dan --jp tidak diberikan)"},
    {Msg::kElearningNoNip, "no NIP", "tidak ada NIP"},
    {Msg::kElearningNotOnRoster, "NIP {1} is not on this office's roster", "NIP {1} tidak ada di daftar pegawai kantor ini"},
    {Msg::kElearningTwice, "NIP {1} completes '{2}' twice in the file", "NIP {1} menyelesaikan '{2}' dua kali dalam berkas"},
    {Msg::kElearningJpDiffers, "course '{1}' has {2} JP here but {3} JP on an earlier line",
     "kursus '{1}' bernilai {2} JP di sini tetapi {3} JP di baris sebelumnya"},
    {Msg::kDeskNeedsTerminal, "latih desk needs a terminal (run it in a console, not through a pipe)",
     "latih desk memerlukan terminal (jalankan di konsol, bukan melalui pipe)"},
    {Msg::kDeskTooSmall, "The window is too small: the desk needs {1} columns and {2} rows.",
     "Jendela terlalu kecil: meja presensi memerlukan {1} kolom dan {2} baris."},
};
static_assert(std::size(kCatalog) == static_cast<size_t>(Msg::kCount_), "every message has an entry");

constexpr bool InOrder() {
  for (size_t i = 0; i < std::size(kCatalog); ++i) {
    if (static_cast<size_t>(kCatalog[i].id) != i) return false;
  }
  return true;
}
static_assert(InOrder(), "kCatalog is in the order of Msg");

Language g_language = Language::kEnglish;

bool IsIndonesian(const char* value) {
  if (!value) return false;
  const std::string_view v(value);
  return v == "id" || v.rfind("id_", 0) == 0 || v.rfind("id.", 0) == 0 || v.rfind("in_", 0) == 0;
}

}  // namespace

Language LanguageFromEnvironment() {
  // POSIX precedence: the first of these that is set and not empty decides.
  for (const char* name : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* v = std::getenv(name);
    if (v && *v) return IsIndonesian(v) ? Language::kIndonesian : Language::kEnglish;
  }
  return Language::kEnglish;
}

void SetLanguage(Language language) { g_language = language; }
Language CurrentLanguage() { return g_language; }

std::string_view SayIn(Language language, Msg message) {
  const Entry& e = kCatalog[static_cast<size_t>(message)];
  return language == Language::kIndonesian ? e.id_ : e.en;
}

std::string_view Say(Msg message) { return SayIn(g_language, message); }

std::string Say(Msg message, std::initializer_list<std::string_view> args) {
  const std::string_view text = Say(message);
  std::string out;
  out.reserve(text.size() + 32);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '{' && i + 2 < text.size() && text[i + 1] >= '1' && text[i + 1] <= '9' && text[i + 2] == '}') {
      const size_t k = static_cast<size_t>(text[i + 1] - '1');
      if (k < args.size()) out.append(*(args.begin() + k));
      i += 2;
      continue;
    }
    out += text[i];
  }
  return out;
}

}  // namespace latih::client
