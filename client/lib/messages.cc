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
    {Msg::kDeskKeys, "Enter check in   Up/Down choose   Tab status   F5 undo   Esc clear   F10 quit",
     "Enter catat   Atas/Bawah pilih   Tab status   F5 batalkan   Esc hapus   F10 keluar"},
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
    {Msg::kDeskNeedsTerminal, "latih desk needs a terminal (run it in a console, not through a pipe)",
     "latih desk memerlukan terminal (jalankan di konsol, bukan melalui pipe)"},
    {Msg::kDeskTooSmall, "The window is too small: the desk needs {1} columns and {2} rows.",
     "Jendela terlalu kecil: meja presensi memerlukan {1} kolom dan {2} baris."},

    // The command line (client/cli/main.cc, cli_context.cc).
    {Msg::kCliAbout, "latih: records ASN competency development, also without a network.",
     "latih: catat pengembangan kompetensi ASN, juga tanpa jaringan."},
    {Msg::kCliFooter, "Exit codes: 0 ok, 2 usage, 3 input refused, 4 not found, 5 database error, 6 database from a newer latih, 1 internal error; sync: 7 partly refused (see latih status), 8 credentials refused, 9 server unreachable (try again), 10 update latih.",
     "Kode keluar: 0 berhasil, 2 perintah salah, 3 masukan ditolak, 4 tidak ditemukan, 5 galat basis data, 6 basis data dari latih yang lebih baru, 1 galat internal; sync: 7 sebagian ditolak (lihat latih status), 8 kredensial ditolak, 9 server tidak terjangkau (coba lagi), 10 perbarui latih."},
    {Msg::kCliError, "latih: error: {1}", "latih: galat: {1}"},
    {Msg::kCliUsageError, "latih: usage error: {1}\nRun 'latih --help' or 'latih COMMAND --help'.",
     "latih: perintah salah: {1}\nJalankan 'latih --help' atau 'latih PERINTAH --help'."},
    {Msg::kCliInternalError, "latih: internal error: {1}", "latih: galat internal: {1}"},
    {Msg::kHelpHelp, "Print this help message and exit", "Tampilkan bantuan ini lalu keluar"},
    {Msg::kHelpLabelUsage, "Usage", "Penggunaan"},
    {Msg::kHelpLabelOptionsWord, "OPTIONS", "OPSI"},
    {Msg::kHelpLabelRequired, "REQUIRED", "WAJIB"},
    {Msg::kHelpLabelExcludes, "Excludes", "Tidak bersama"},
    {Msg::kHelpLabelPositionals, "Positionals", "Argumen"},
    {Msg::kHelpLabelSubcommand, "SUBCOMMAND", "SUBPERINTAH"},
    {Msg::kHelpLabelSubcommands, "SUBCOMMANDS", "SUBPERINTAH..."},
    {Msg::kHelpGroupOptions, "Options", "Opsi"},
    {Msg::kHelpGroupSubcommands, "Subcommands", "Subperintah"},
    {Msg::kHelpDb, "Database file (default: $LATIH_DB, else ./latih.db)",
     "Berkas basis data (bawaan: $LATIH_DB, jika kosong ./latih.db)"},
    {Msg::kHelpJson, "Print JSON (an array of objects)", "Cetak JSON (larik objek)"},
    {Msg::kHelpCsv, "Print CSV (for spreadsheets)", "Cetak CSV (untuk lembar kerja)"},
    {Msg::kFileLine, "{1} line {2}: {3}", "{1} baris {2}: {3}"},
    // Records: init, employee, training, session, export (client/cli/cmd_records.cc).
    {Msg::kInitDone, "Database {1} ready for office {2}", "Basis data {1} siap untuk kantor {2}"},
    {Msg::kInitUnlistedOffice, "This office is not in the built-in list yet: enroll the device (latih enroll) and sync (latih sync) before recording.",
     "Kantor ini belum ada di daftar bawaan: daftarkan perangkat (latih enroll) dan sinkronkan (latih sync) sebelum mencatat."},
    {Msg::kEmployeeAdded, "{1} {2} ({3}) registered", "{1} {2} ({3}) terdaftar"},
    {Msg::kEmployeeUpdated, "{1} {2} updated", "{1} {2} diperbarui"},
    {Msg::kActiveNotYesNo, "active '{1}' is not yes/no", "aktif '{1}' bukan yes/no (ya/tidak)"},
    {Msg::kImportRoster, "Employee import", "Impor pegawai"},
    {Msg::kImportAttendance, "Attendance", "Kehadiran"},
    {Msg::kImportSummary, "{1}: {2} lines; {3} new, {4} changed, {5} unchanged",
     "{1}: {2} baris; {3} baru, {4} diubah, {5} tetap"},
    {Msg::kImportPlaceholders, ", {1} new NIPs to review", ", {1} NIP baru perlu ditinjau"},
    {Msg::kImportRefused, "{1} of {2} lines of {3} are invalid; nothing was imported",
     "{1} dari {2} baris {3} tidak valid; tidak ada yang diimpor"},
    {Msg::kHelpInit, "Create the database for one office", "Buat basis data untuk satu kantor"},
    {Msg::kHelpInitOffice, "Kemendagri code (52.71.01.1004) or name (Ampenan Selatan)",
     "Kode Kemendagri (52.71.01.1004) atau nama (Ampenan Selatan)"},
    {Msg::kHelpEmployee, "Employees: add, update, import, list", "Pegawai: add, update, import, list"},
    {Msg::kHelpEmployeeAdd, "Register an employee (NIP validated)", "Daftarkan pegawai (NIP diperiksa)"},
    {Msg::kHelpNipOrNiPppk, "18-digit NIP or NI PPPK", "NIP atau NI PPPK 18 digit"},
    {Msg::kHelpFullName, "Full name", "Nama lengkap"},
    {Msg::kHelpPosition, "Position (jabatan)", "Jabatan"},
    {Msg::kHelpRankExample, "Rank (golongan), e.g. III/a", "Golongan, mis. III/a"},
    {Msg::kHelpType, "PNS or PPPK (checked against the NIP)", "PNS atau PPPK (dicocokkan dengan NIP)"},
    {Msg::kHelpEmployeeUpdate, "Change an employee's name, position, rank or active flag",
     "Ubah nama, jabatan, golongan atau status aktif pegawai"},
    {Msg::kHelpNip, "The employee's NIP", "NIP pegawai"},
    {Msg::kHelpRank, "Rank (golongan)", "Golongan"},
    {Msg::kHelpActive, "yes/no (ya/tidak)", "ya/tidak (yes/no)"},
    {Msg::kHelpEmployeeImport, "Import a roster CSV (all-or-nothing)",
     "Impor daftar pegawai dari CSV (semua atau tidak sama sekali)"},
    {Msg::kHelpRosterFile, "CSV with columns nip, nama/name, jabatan, golongan, jenis",
     "CSV dengan kolom nip, nama/name, jabatan, golongan, jenis"},
    {Msg::kHelpEmployeeList, "List employees", "Daftar pegawai"},
    {Msg::kHelpInactive, "Include inactive employees", "Termasuk pegawai nonaktif"},
    {Msg::kHelpTraining, "Trainings: add, list", "Pelatihan: add, list"},
    {Msg::kHelpTrainingAdd, "Create a training; prints its id", "Buat pelatihan; mencetak id-nya"},
    {Msg::kHelpTitle, "Title", "Judul"},
    {Msg::kHelpForm, "SIASN jenisDiklatId 1..25 or its name (4 = Workshop)",
     "jenisDiklatId SIASN 1..25 atau namanya (4 = Workshop)"},
    {Msg::kHelpJp, "Lesson hours (JP)", "Jam pelajaran (JP)"},
    {Msg::kHelpMinutes, "Duration in minutes (JP derived with minutes per JP)",
     "Lama dalam menit (JP dihitung dari menit per JP)"},
    {Msg::kHelpStartDate, "Start date YYYY-MM-DD", "Tanggal mulai YYYY-MM-DD"},
    {Msg::kHelpEndDate, "End date YYYY-MM-DD", "Tanggal selesai YYYY-MM-DD"},
    {Msg::kHelpOrganizer, "Organizer (penyelenggara)", "Penyelenggara"},
    {Msg::kHelpRoute, "klasikal | non_klasikal | pendidikan (default from the form)",
     "klasikal | non_klasikal | pendidikan (bawaan dari bentuknya)"},
    {Msg::kHelpCertificate, "Certificate number", "Nomor sertifikat"},
    {Msg::kHelpGlobal, "A central (BKPSDM) training every office sees; the server accepts it only from central HR",
     "Pelatihan pusat (BKPSDM) yang terlihat oleh semua kantor; server hanya menerimanya dari BKPSDM"},
    {Msg::kHelpTrainingList, "List trainings", "Daftar pelatihan"},
    {Msg::kHelpSession, "Sessions: add, list", "Sesi: add, list"},
    {Msg::kHelpSessionAdd, "Add a session to a training; prints its id",
     "Tambahkan sesi ke pelatihan; mencetak id-nya"},
    {Msg::kHelpTrainingId, "Training id", "Id pelatihan"},
    {Msg::kHelpDate, "Date YYYY-MM-DD", "Tanggal YYYY-MM-DD"},
    {Msg::kHelpSessionJp, "JP credited by this session (default: an equal share)",
     "JP yang diberikan sesi ini (bawaan: bagian yang sama)"},
    {Msg::kHelpStartTime, "Start time HH:MM (for minutes late)", "Jam mulai HH:MM (untuk menghitung menit terlambat)"},
    {Msg::kHelpEndTime, "End time HH:MM", "Jam selesai HH:MM"},
    {Msg::kHelpLocation, "Location", "Tempat"},
    {Msg::kHelpSessionList, "List the sessions of a training", "Daftar sesi sebuah pelatihan"},
    {Msg::kHelpExport, "Export a whole table (CSV by default)", "Ekspor seluruh tabel (bawaan CSV)"},
    {Msg::kHelpExportTable, "office, employee, training, session, attendance, evaluation, skm_response",
     "office, employee, training, session, attendance, evaluation, skm_response (nama tabel)"},
    // Events: attend, evaluate, survey (client/cli/cmd_events.cc).
    {Msg::kAttendLate, " ({1} minutes late)", " (terlambat {1} menit)"},
    {Msg::kAttendUpdated, " [updated]", " [diperbarui]"},
    {Msg::kAttendAlready, " [already recorded]", " [sudah tercatat]"},
    {Msg::kAttendPlaceholder, " [new NIP, to review]", " [NIP baru, perlu ditinjau]"},
    {Msg::kAttendImportRefused, "{1} of {2} lines of {3} are invalid; nothing was recorded",
     "{1} dari {2} baris {3} tidak valid; tidak ada yang dicatat"},
    {Msg::kAttendNeedsNipOrFile, "give --nip N or --file FILE.csv", "berikan --nip N atau --file BERKAS.csv"},
    {Msg::kHelpAttend, "Record attendance for a session (one NIP or a CSV file)",
     "Catat kehadiran sebuah sesi (satu NIP atau berkas CSV)"},
    {Msg::kHelpSessionId, "Session id", "Id sesi"},
    {Msg::kHelpParticipantNip, "NIP of the participant", "NIP peserta"},
    {Msg::kHelpAttendFile, "CSV with columns nip[, status, waktu, catatan, nama]",
     "CSV dengan kolom nip[, status, waktu, catatan, nama]"},
    {Msg::kHelpAttendStatus, "hadir | terlambat | pulang_awal | izin | sakit | dinas_luar | cuti | alpa (default hadir)",
     "hadir | terlambat | pulang_awal | izin | sakit | dinas_luar | cuti | alpa (bawaan hadir)"},
    {Msg::kHelpAt, "Check-in time HH:MM or YYYY-MM-DDTHH:MM (default: now)",
     "Waktu hadir HH:MM atau YYYY-MM-DDTHH:MM (bawaan: sekarang)"},
    {Msg::kHelpMinutesLate, "Minutes late (default: from --at and the session start)",
     "Menit terlambat (bawaan: dari --at dan jam mulai sesi)"},
    {Msg::kHelpNote, "Note", "Catatan"},
    {Msg::kHelpAddUnknown, "Register an unknown NIP as a placeholder flagged for review",
     "Daftarkan NIP yang belum dikenal sebagai peserta sementara yang perlu ditinjau"},
    {Msg::kHelpPlaceholderName, "Name for a placeholder created by --add-unknown",
     "Nama untuk peserta sementara dari --add-unknown"},
    {Msg::kHelpEvaluate, "Record a pre/post test, reaction, behaviour or result score",
     "Catat nilai pre/post test, reaksi, perilaku atau hasil"},
    {Msg::kHelpScore, "Score 0..100", "Nilai 0..100"},
    {Msg::kHelpAspects, "Reaction aspect scores 0..100: materi=85,fasilitator=90",
     "Nilai aspek reaksi 0..100: materi=85,fasilitator=90"},
    {Msg::kHelpAssessedOn, "Assessment date YYYY-MM-DD", "Tanggal penilaian YYYY-MM-DD"},
    {Msg::kHelpSurvey, "Public satisfaction survey (SKM)", "Survei Kepuasan Masyarakat (SKM)"},
    {Msg::kHelpSurveyAdd, "Record one SKM response (nine unsur scores 1..4)",
     "Catat satu jawaban SKM (nilai sembilan unsur 1..4)"},
    {Msg::kHelpPeriod, "Period: 2026, 2026-S1, 2026-Q3 or 2026-07", "Periode: 2026, 2026-S1, 2026-Q3 atau 2026-07"},
    {Msg::kHelpScores, "U1..U9 scores 1..4, e.g. 4,3,4,4,3,4,4,3,4", "Nilai U1..U9 1..4, mis. 4,3,4,4,3,4,4,3,4"},
    {Msg::kHelpOccupation, "Occupation (pekerjaan)", "Pekerjaan"},
    {Msg::kHelpService, "Service used (jenis layanan)", "Jenis layanan"},
    {Msg::kHelpRespondedOn, "Response date YYYY-MM-DD", "Tanggal pengisian YYYY-MM-DD"},
    // Reports and conflicts (client/cli/cmd_reports.cc, cmd_conflicts.cc, client/lib/report_format.cc).
    {Msg::kJpFooter, "{1} employees; {2} PNS below {3} JP; {4} PPPK above the cap of {5} JP",
     "{1} pegawai; {2} PNS di bawah {3} JP; {4} PPPK di atas batas {5} JP"},
    {Msg::kAttendanceFooter, "Total: {1} participants, {2} sessions, attendance {3}%",
     "Total: {1} peserta, {2} sesi, kehadiran {3}%"},
    {Msg::kIkmNoResponses, "No responses yet for period {1}", "Belum ada responden untuk periode {1}"},
    {Msg::kStatusNever, "never", "belum pernah"},
    {Msg::kStatusNotEnrolled, "not enrolled (latih enroll)", "belum terdaftar (latih enroll)"},
    {Msg::kStatusFailures, "{1}x, last at {2}: {3}", "{1}x, terakhir {2}: {3}"},
    {Msg::kExportUnknownTable, "table '{1}' is not one of: {2}", "tabel '{1}' bukan salah satu dari: {2}"},
    {Msg::kConflictsNone, "No conflicts.", "Tidak ada konflik."},
    {Msg::kConflictWholeRow, "(row)", "(baris)"},
    {Msg::kConflictRestored, "Conflict {1}: the losing value is restored (it will be synced)",
     "Konflik {1}: nilai yang kalah dipulihkan (akan disinkronkan)"},
    {Msg::kConflictKept, "Conflict {1}: the winning value is kept", "Konflik {1}: nilai yang menang dipertahankan"},
    {Msg::kHelpReport, "Reports: jp, attendance, evaluation, ikm", "Laporan: jp, attendance, evaluation, ikm"},
    {Msg::kHelpReportJp, "JP per employee in a calendar year (PNS minimum, PPPK cap)",
     "JP per pegawai dalam satu tahun (minimum PNS, batas PPPK)"},
    {Msg::kHelpYear, "Calendar year", "Tahun"},
    {Msg::kHelpReportAttendance, "Attendance rate of a training, per session",
     "Persentase kehadiran sebuah pelatihan, per sesi"},
    {Msg::kHelpReportEvaluation, "Pre/post means, gain, normalized gain and reaction of a training",
     "Rata-rata pre/post test, gain, gain ternormalisasi dan reaksi sebuah pelatihan"},
    {Msg::kHelpReportIkm, "Public satisfaction index (IKM) of this office for a period",
     "Indeks Kepuasan Masyarakat (IKM) kantor ini untuk satu periode"},
    {Msg::kHelpConflicts, "Concurrent edits decided by sync: list, restore the loser, keep",
     "Perubahan bersamaan yang diputuskan sinkronisasi: daftar, pulihkan yang kalah, pertahankan"},
    {Msg::kHelpConflictsAll, "Include resolved conflicts", "Termasuk konflik yang sudah diselesaikan"},
    {Msg::kHelpConflictRestore, "Write the losing value again (it then wins everywhere)",
     "Tulis lagi nilai yang kalah (lalu nilai itu menang di semua tempat)"},
    {Msg::kHelpConflictKeep, "Keep the winning value and close the conflict",
     "Pertahankan nilai yang menang dan tutup konflik"},
    {Msg::kHelpConflictId, "Conflict id", "Id konflik"},
    // Sync: enroll, sync, status (client/cli/cmd_sync.cc).
    {Msg::kEnrolled, "enrolled: device '{1}'{2} at {3}", "terdaftar: perangkat '{1}'{2} pada {3}"},
    {Msg::kEnrolledOffice, " office {1}", " kantor {1}"},
    {Msg::kSyncDone, "sync done: sent {1} rows", "sinkron selesai: kirim {1} baris"},
    {Msg::kSyncRefusedCount, " ({1} refused)", " ({1} ditolak)"},
    {Msg::kSyncDoneRest, ", received {1} rows, {2} requests, up {3}, down {4}, {5} ms",
     ", terima {1} baris, {2} permintaan, naik {3}, turun {4}, {5} ms"},
    {Msg::kSyncSnapshot, ", snapshot ({1} rows removed)", ", snapshot ({1} baris dihapus)"},
    {Msg::kSyncRestamped, ", versions of {1} rows moved to the server's clock",
     ", versi {1} baris disesuaikan ke jam server"},
    {Msg::kSyncClockSkew, "; WARNING: the device clock is {1} seconds off",
     "; PERINGATAN: jam perangkat selisih {1} detik"},
    {Msg::kSyncRefusedRow, "refused by the server ({1}): {2} {3}: {4}", "ditolak server ({1}): {2} {3}: {4}"},
    {Msg::kSyncProgress, "sync: sent {1} rows ({2})  received {3} rows ({4})  {5} requests",
     "sinkron: kirim {1} baris ({2})  terima {3} baris ({4})  {5} permintaan"},
    {Msg::kSyncFailed, "latih: sync failed: {1}", "latih: sinkron gagal: {1}"},
    {Msg::kSyncWorksAgain, "latih: sync works again after {1}", "latih: sinkron berhasil lagi setelah {1}"},
    {Msg::kSyncNeedsPerson, "latih: sync stopped: this needs a person (see the error above)",
     "latih: sinkron berhenti: perlu ditangani petugas (lihat galat di atas)"},
    {Msg::kSyncFailing, "latih: sync failing for {1} ({2} attempts); next try in {3} s",
     "latih: sinkron gagal selama {1} ({2} percobaan); dicoba lagi dalam {3} detik"},
    {Msg::kSeconds, "{1} s", "{1} detik"},
    {Msg::kMinutes, "{1} min", "{1} menit"},
    {Msg::kHours, "{1} h", "{1} jam"},
    {Msg::kHelpEnroll, "Enroll this database with the central server (once per device)",
     "Daftarkan basis data ini ke server pusat (sekali per perangkat)"},
    {Msg::kHelpServer, "Server URL, e.g. https://latih.example.go.id", "URL server, mis. https://latih.example.go.id"},
    {Msg::kHelpToken, "Enrollment token from 'latih-server device enroll'",
     "Token pendaftaran dari 'latih-server device enroll'"},
    {Msg::kHelpCacert, "CA certificate of a server with a private certificate",
     "Sertifikat CA untuk server dengan sertifikat privat"},
    {Msg::kHelpSync, "Send local changes to the server and receive the office's news",
     "Kirim perubahan lokal ke server dan terima kabar terbaru kantor"},
    {Msg::kHelpWatch, "Keep syncing: at once when something changes here, every --poll seconds for the server's news, retrying with backoff when the server is unreachable",
     "Sinkron terus: segera saat ada perubahan di sini, tiap --poll detik untuk kabar dari server, dan dicoba lagi dengan jeda bertahap saat server tidak terjangkau"},
    {Msg::kHelpPoll, "--watch: seconds between syncs when nothing changes here (default 60)",
     "--watch: detik antarsinkron saat tidak ada perubahan di sini (bawaan 60)"},
    {Msg::kHelpMaxBackoff, "--watch: longest wait between failed attempts, s (default 600)",
     "--watch: jeda terlama antarpercobaan yang gagal, detik (bawaan 600)"},
    {Msg::kHelpStallTimeout, "Give up a transfer that moves less than 16 bytes/s for this many seconds: a stalled link (exit 9; --watch retries) (default 60)",
     "Hentikan transfer yang bergerak kurang dari 16 bita/detik selama sekian detik: jaringan macet (keluar 9; --watch mencoba lagi) (bawaan 60)"},
    {Msg::kHelpSyncFooter, "Exit codes: 0 synced; 7 synced but some changes refused (quarantined, see latih status); 8 credentials or server certificate refused; 9 server unreachable (nothing lost, try again); 10 update latih.",
     "Kode keluar: 0 tersinkron; 7 tersinkron tetapi sebagian perubahan ditolak (dikarantina, lihat latih status); 8 kredensial atau sertifikat server ditolak; 9 server tidak terjangkau (tidak ada yang hilang, coba lagi); 10 perbarui latih."},
    {Msg::kHelpStatus, "Show the database, pending changes, the server and the last sync",
     "Tampilkan basis data, perubahan yang belum terkirim, server dan sinkron terakhir"},
    // Cards (client/cli/cmd_cards.cc, client/lib/cards.cc).
    {Msg::kCardsWritten, "{1} cards written to {2}", "{1} kartu ditulis ke {2}"},
    {Msg::kCannotWrite, "cannot write {1}", "tidak dapat menulis {1}"},
    {Msg::kTrainingMissingSeeList, "training '{1}' does not exist (see `latih training list`)",
     "pelatihan '{1}' tidak ada (lihat `latih training list`)"},
    {Msg::kQrFailed, "cannot make a QR code of '{1}'", "tidak dapat membuat kode QR dari '{1}'"},
    {Msg::kHelpCards, "Printable participant cards of a training, each with a QR code of the NIP for the desk's scanner (HTML: open it and print)",
     "Kartu peserta sebuah pelatihan untuk dicetak, masing-masing dengan kode QR NIP untuk pemindai meja presensi (HTML: buka lalu cetak)"},
    {Msg::kHelpCardsTraining, "The training's id (see latih training list)",
     "Id pelatihan (lihat latih training list)"},
    {Msg::kHelpCardsOut, "Write the page to FILE.html (default: standard output)",
     "Tulis halaman ke BERKAS.html (bawaan: keluaran standar)"},
    // The office database (client/lib/office_db*.cc).
    {Msg::kOfficeUnknown, "office '{1}' is not known; known offices:{2}\n(or give the code of a kelurahan the server knows: NN.NN.NN.NNNN)",
     "kantor '{1}' tidak dikenal; kantor yang dikenal:{2}\n(atau berikan kode kelurahan yang dikenal server: NN.NN.NN.NNNN)"},
    {Msg::kDbOtherOffice, "{1} already belongs to office {2}; one database serves one office",
     "{1} sudah milik kantor {2}; satu basis data hanya untuk satu kantor"},
    {Msg::kDbMissing, "no latih database at {1}; create one with: latih --db {1} init --office CODE",
     "tidak ada basis data latih di {1}; buat dengan: latih --db {1} init --office KODE"},
    {Msg::kDbNoOffice, "{1} has no office; run: latih init --office CODE",
     "{1} belum punya kantor; jalankan: latih init --office KODE"},
    {Msg::kBadMinutesPerJp, "setting minutes_per_jp '{1}' is not a positive number",
     "pengaturan minutes_per_jp '{1}' bukan bilangan positif"},
    {Msg::kNoLocalTime, "cannot read the local time", "tidak dapat membaca waktu setempat"},
    {Msg::kBadTime, "time '{1}' is not HH:MM, HH:MM:SS or YYYY-MM-DDTHH:MM[:SS]",
     "waktu '{1}' bukan HH:MM, HH:MM:SS atau YYYY-MM-DDTHH:MM[:SS]"},
    {Msg::kAspectsNotObject, "aspects '{1}' is not a JSON object", "aspek '{1}' bukan objek JSON"},
    {Msg::kAspectNotPair, "aspects: '{1}' is not name=score", "aspek: '{1}' bukan nama=nilai"},
    {Msg::kAspectBadScore, "aspects: score '{1}' of {2} is not a number 0..100",
     "aspek: nilai '{1}' untuk {2} bukan angka 0..100"},
    {Msg::kSessionMissing, "session '{1}' does not exist", "sesi '{1}' tidak ada"},
    {Msg::kTrainingMissing, "training '{1}' does not exist", "pelatihan '{1}' tidak ada"},
    {Msg::kNipNotRegistered, "NIP {1} is not registered", "NIP {1} belum terdaftar"},
    {Msg::kNipNotRegisteredAttend, "NIP {1} is not registered; add it with `latih employee add` or record it for review with --add-unknown",
     "NIP {1} belum terdaftar; tambahkan dengan `latih employee add` atau catat untuk ditinjau dengan --add-unknown"},
    {Msg::kNipAlreadyRegistered, "NIP {1} is already registered ({2}); use `latih employee update` to change it",
     "NIP {1} sudah terdaftar ({2}); gunakan `latih employee update` untuk mengubahnya"},
    {Msg::kMinutesLateRange, "minutes late '{1}' is not 0..1440", "menit terlambat '{1}' bukan 0..1440"},
    {Msg::kScoreRange, "score '{1}' is not between 0 and 100", "nilai '{1}' tidak di antara 0 dan 100"},
    {Msg::kDateNotReal, "{1} '{2}' is not a real date in the form YYYY-MM-DD",
     "{1} '{2}' bukan tanggal yang benar dalam bentuk YYYY-MM-DD"},
    {Msg::kFieldDate, "date", "tanggal"},
    {Msg::kFieldStartDate, "start date", "tanggal mulai"},
    {Msg::kFieldEndDate, "end date", "tanggal selesai"},
    {Msg::kBadPeriod, "period '{1}' is not YYYY, YYYY-S1, YYYY-Q3 or YYYY-MM",
     "periode '{1}' bukan YYYY, YYYY-S1, YYYY-Q3 atau YYYY-MM"},
    {Msg::kScoresNotNine, "scores '{1}' must be exactly nine numbers 1..4, comma-separated",
     "nilai '{1}' harus tepat sembilan angka 1..4, dipisah koma"},
    {Msg::kUnsurScoreRange, "score U{1} ({2}) '{3}' is not 1..4", "nilai U{1} ({2}) '{3}' bukan 1..4"},
    {Msg::kTypeMismatch, "type '{1}' does not match NIP {2}, which is a {3} number",
     "jenis '{1}' tidak sesuai dengan NIP {2}, yang merupakan nomor {3}"},
    {Msg::kNameOfNipEmpty, "name of NIP {1} is empty", "nama untuk NIP {1} kosong"},
    {Msg::kNameRequired, "name is required", "nama wajib diisi"},
    {Msg::kTitleRequired, "title is required", "judul wajib diisi"},
    {Msg::kEndBeforeStart, "end date {1} is before start date {2}", "tanggal selesai {1} sebelum tanggal mulai {2}"},
    {Msg::kNeedJpOrMinutes, "give the training's JP (--jp) or its minutes (--minutes)",
     "berikan JP pelatihan (--jp) atau lamanya dalam menit (--minutes)"},
    {Msg::kJpNotPositive, "jp '{1}' must be above 0", "jp '{1}' harus lebih dari 0"},
    {Msg::kMinutesNotPositive, "minutes '{1}' must be above 0", "menit '{1}' harus lebih dari 0"},
    {Msg::kBadScope, "scope '{1}' is not nasional or internasional", "cakupan '{1}' bukan nasional atau internasional"},
    {Msg::kDateOutsideTraining, "date {1} is outside the training's dates {2} .. {3}",
     "tanggal {1} di luar tanggal pelatihan {2} .. {3}"},
    {Msg::kTimeNotHhMm, "time '{1}' is not HH:MM", "waktu '{1}' bukan HH:MM"},
    {Msg::kEndTimeNotAfterStart, "end time {1} is not after start time {2}",
     "jam selesai {1} tidak setelah jam mulai {2}"},
    // CSV files and imports (client/lib/csv.cc, importers.cc).
    {Msg::kCsvBadUtf8, "invalid UTF-8 (byte 0x{1}); save the file as \"CSV UTF-8\" and import it again",
     "UTF-8 tidak valid (bita 0x{1}); simpan berkas sebagai \"CSV UTF-8\" lalu impor lagi"},
    {Msg::kCsvTextAfterQuote, "text after a closing quote (write \"\" for a quote inside a quoted field)",
     "ada teks setelah tanda kutip penutup (tulis \"\" untuk tanda kutip di dalam isian berkutip)"},
    {Msg::kCsvQuoteNotClosed, "quoted field opened here is never closed",
     "isian berkutip yang dibuka di sini tidak pernah ditutup"},
    {Msg::kCsvEmpty, "the file is empty: no header line", "berkas kosong: tidak ada baris judul"},
    {Msg::kCsvMissingColumn, "missing column {1}", "kolom {1} tidak ada"},
    {Msg::kCsvAlsoAccepted, " (also accepted: {1})", " (juga diterima: {1})"},
    {Msg::kCsvColumnTwice, "column {1} is named more than once:", "kolom {1} disebut lebih dari sekali:"},
    {Msg::kCsvColumnAt, "\"{1}\" (column {2})", "\"{1}\" (kolom {2})"},
    {Msg::kFileNotFound, "{1}: no such file", "{1}: berkas tidak ditemukan"},
    {Msg::kFileIsDirectory, "{1}: is a directory, not a CSV file", "{1}: ini folder, bukan berkas CSV"},
    {Msg::kFileCannotOpen, "{1}: cannot open: {2}", "{1}: tidak dapat dibuka: {2}"},
    {Msg::kFileReadFailed, "{1}: read failed", "{1}: gagal dibaca"},
    {Msg::kLineTooWide, "has {1} fields but the header has {2}", "berisi {1} isian, padahal baris judul hanya {2}"},
    {Msg::kNipTwiceInFile, "NIP {1} appears more than once in the file",
     "NIP {1} muncul lebih dari sekali dalam berkas"},
    {Msg::kActiveNotYaTidak, "aktif '{1}' is not ya/tidak", "aktif '{1}' bukan ya/tidak"},
    {Msg::kNewNipNoName, "nama is empty for new NIP {1}", "nama kosong untuk NIP baru {1}"},
    // The server link (client/lib/sync_client.cc).
    {Msg::kServerUrlScheme, "--server must start with https:// (or http:// on a private network), not '{1}'",
     "--server harus diawali https:// (atau http:// di jaringan privat), bukan '{1}'"},
    {Msg::kTokenEmpty, "--token is empty", "--token kosong"},
    {Msg::kEnrollAnswerUnreadable, "the server's enrollment answer is unreadable",
     "jawaban pendaftaran dari server tidak terbaca"},
    {Msg::kEnrollOtherOffice, "the server enrolled this device for office {1}, but this database belongs to {2}",
     "server mendaftarkan perangkat ini untuk kantor {1}, tetapi basis data ini milik {2}"},
    {Msg::kNotEnrolled, "this database is not enrolled with a server: run 'latih enroll' first",
     "basis data ini belum terdaftar di server: jalankan 'latih enroll' dulu"},
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
