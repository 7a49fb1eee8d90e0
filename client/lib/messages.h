// The one catalog of what latih says to the people using it (issue 8): each
// message in English and in Bahasa Indonesia, picked by the locale once per
// process (LC_ALL, else LC_MESSAGES, else LANG: "id", "id_ID.UTF-8" ...
// give Indonesian, anything else English). Arguments go in as {1}, {2}...,
// so that a translation may order them as its grammar needs.
// Thread-compatible: SetLanguage before any thread reads the catalog.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace latih::client {

enum class Language { kEnglish, kIndonesian };

// The language the environment asks for.
Language LanguageFromEnvironment();
// The language Say() uses (default: English until set).
void SetLanguage(Language language);
Language CurrentLanguage();

enum class Msg {
  // The attendance desk (client/cli/desk_screen.cc).
  kDeskTitle,          // {1} training, {2} date, {3} start time
  kDeskCounts,         // {1} present, {2} excused, {3} not yet, {4} total
  kDeskSearch,         // the search line's label
  kDeskStatus,         // {1} the status the next check-in gets
  kDeskKeys,           // the key help line
  kDeskNoMatch,        // {1} the query
  kDeskNotYet,         // a person with nothing recorded yet
  kDeskCheckedIn,      // {1} status label, {2} name, {3} time
  kDeskLate,           // {1} minutes (appended to kDeskCheckedIn)
  kDeskAlready,        // {1} name, {2} status label, {3} time
  kDeskConfirmChange,  // {1} name, {2} status label before, {3} status label now
  kDeskUnknownNip,     // {1} NIP
  kDeskWalkInName,     // {1} NIP: the prompt for a walk-in's name
  kDeskWalkIn,         // {1} name: registered for review
  kDeskUndone,         // {1} name, {2} status label now ("" -> not yet)
  kDeskNothingToUndo,
  kDeskError,          // {1} the error
  // The desk's scores (F6) and their import (F7).
  kDeskScoreMode,       // {1} the kind of score being entered
  kDeskScoreKeys,       // the key help line in the scores view
  kDeskPreTest,         // the kinds' labels
  kDeskPostTest,
  kDeskReaction,
  kDeskScorePrompt,     // {1} kind label, {2} name
  kDeskReactionPrompt,  // {1} name
  kDeskScoreSaved,      // {1} kind label, {2} name, {3} score
  kDeskScoreFormat,     // {1} what was typed
  kDeskReactionFormat,  // {1} what was typed
  kDeskImportPrompt,    // the prompt for the CSV file's path
  kDeskImported,        // {1} file, {2} lines, {3} new, {4} changed, {5} unchanged, {6} without a score
  kDeskImportRefused,   // {1} file, {2} bad lines, {3} lines, {4} first bad line, {5} its problem
  kScoreNotNumber,      // {1} the text
  kDeskTitleLine,       // {1} the title line (kDeskTitle)
  kDeskSessionMissing,  // {1} session id
  kDeskWalkInNeedsName,
  kHelpDesk,
  kHelpDeskSession,
  // Reminders, e-learning and score imports on the CLI.
  kRemindersTitle,      // {1} year, {2} today
  kRemindersFooter,     // {1} people, {2} covered, {3} upcoming trainings
  kHelpReportReminders,
  kHelpToday,
  kHelpYearDefault,
  kImportScores,        // the name of a score import in its summary
  kImportSkipped,       // {1} lines without a score
  kHelpEvaluateFile,
  kEvaluateNeedsInput,
  kHelpElearning,
  kHelpElearningImport,
  kHelpElearningFile,
  kHelpElearningCourse,
  kHelpElearningJp,
  kHelpElearningLms,
  kHelpElearningCompetency,
  kHelpElearningColumn,
  kElearningColumnFormat,  // {1} what was given
  kElearningUnmatched,     // {1} file, {2} line, {3} who, {4} why
  kElearningSummary,       // {1} file, {2} lines, {3} courses, {4} completions, {5} new, {6} unchanged, {7} not completed, {8} unmatched
  // E-learning completions (client/lib/elearning.cc).
  kElearningBadJp,        // {1} the text
  kElearningBadColumnKey,  // {1} the key
  kElearningNeedsCourse,  // {1} file
  kElearningNeedsJp,      // {1} file
  kElearningBadDate,      // {1} the text
  kElearningNoCourse,
  kElearningNoJp,         // {1} course
  kElearningNoNip,
  kElearningNotOnRoster,  // {1} NIP
  kElearningTwice,        // {1} NIP, {2} course
  kElearningJpDiffers,    // {1} course, {2} this line's JP, {3} the JP before
  kDeskNeedsTerminal,  // stdin/stdout is not a terminal
  kDeskTooSmall,       // {1} columns, {2} rows needed

  // The command line (client/cli/main.cc, cli_context.cc).
  kCliAbout,
  kCliFooter,
  kCliError,  // {1} the error
  kCliUsageError,  // {1} CLI11's own (English) message
  kCliInternalError,  // {1} the exception's text
  kHelpHelp,
  kHelpLabelUsage,  // CLI11's help labels
  kHelpLabelOptionsWord,
  kHelpLabelRequired,
  kHelpLabelExcludes,
  kHelpLabelPositionals,
  kHelpLabelSubcommand,
  kHelpLabelSubcommands,
  kHelpGroupOptions,
  kHelpGroupSubcommands,
  kHelpDb,
  kHelpJson,
  kHelpCsv,
  kFileLine,  // {1} file, {2} line number, {3} the problem

  // Records: init, employee, training, session, export (client/cli/cmd_records.cc).
  kInitDone,  // {1} database path, {2} office code
  kInitUnlistedOffice,
  kEmployeeAdded,  // {1} NIP, {2} name, {3} PNS/PPPK
  kEmployeeUpdated,  // {1} NIP, {2} name
  kActiveNotYesNo,  // {1} the value
  kImportRoster,  // what kImportSummary counts
  kImportAttendance,
  kImportSummary,  // {1} what, {2} lines, {3} new, {4} changed, {5} unchanged
  kImportPlaceholders,  // {1} count (appended to kImportSummary)
  kImportRefused,  // {1} bad lines, {2} lines, {3} file
  kHelpInit,
  kHelpInitOffice,
  kHelpEmployee,
  kHelpEmployeeAdd,
  kHelpNipOrNiPppk,
  kHelpFullName,
  kHelpPosition,
  kHelpRankExample,
  kHelpType,
  kHelpEmployeeUpdate,
  kHelpNip,
  kHelpRank,
  kHelpActive,
  kHelpEmployeeImport,
  kHelpRosterFile,
  kHelpEmployeeList,
  kHelpInactive,
  kHelpTraining,
  kHelpTrainingAdd,
  kHelpTitle,
  kHelpForm,
  kHelpJp,
  kHelpMinutes,
  kHelpStartDate,
  kHelpEndDate,
  kHelpOrganizer,
  kHelpRoute,
  kHelpCertificate,
  kHelpGlobal,
  kHelpTrainingList,
  kHelpSession,
  kHelpSessionAdd,
  kHelpTrainingId,
  kHelpDate,
  kHelpSessionJp,
  kHelpStartTime,
  kHelpEndTime,
  kHelpLocation,
  kHelpSessionList,
  kHelpExport,
  kHelpExportTable,

  // Events: attend, evaluate, survey (client/cli/cmd_events.cc).
  kAttendLate,  // {1} minutes (appended to the check-in line)
  kAttendUpdated,
  kAttendAlready,
  kAttendPlaceholder,
  kAttendImportRefused,  // {1} bad lines, {2} lines, {3} file
  kAttendNeedsNipOrFile,
  kHelpAttend,
  kHelpSessionId,
  kHelpParticipantNip,
  kHelpAttendFile,
  kHelpAttendStatus,
  kHelpAt,
  kHelpMinutesLate,
  kHelpNote,
  kHelpAddUnknown,
  kHelpPlaceholderName,
  kHelpEvaluate,
  kHelpScore,
  kHelpAspects,
  kHelpAssessedOn,
  kHelpSurvey,
  kHelpSurveyAdd,
  kHelpPeriod,
  kHelpScores,
  kHelpOccupation,
  kHelpService,
  kHelpRespondedOn,

  // Reports and conflicts (client/cli/cmd_reports.cc, cmd_conflicts.cc, client/lib/report_format.cc).
  kJpFooter,  // {1} employees, {2} PNS below, {3} minimum, {4} PPPK above, {5} cap
  kAttendanceFooter,  // {1} participants, {2} sessions, {3} percent
  kIkmNoResponses,  // {1} period
  kStatusNever,  // a last sync that never happened
  kStatusNotEnrolled,
  kStatusFailures,  // {1} count, {2} time of the last, {3} its error
  kExportUnknownTable,  // {1} table, {2} the known ones
  kConflictsNone,
  kConflictWholeRow,  // the column of a whole-row conflict
  kConflictRestored,  // {1} conflict id
  kConflictKept,  // {1} conflict id
  kHelpReport,
  kHelpReportJp,
  kHelpYear,
  kHelpReportAttendance,
  kHelpReportEvaluation,
  kHelpReportIkm,
  kHelpConflicts,
  kHelpConflictsAll,
  kHelpConflictRestore,
  kHelpConflictKeep,
  kHelpConflictId,

  // Sync: enroll, sync, status (client/cli/cmd_sync.cc).
  kEnrolled,  // {1} device name, {2} kEnrolledOffice or empty, {3} server URL
  kEnrolledOffice,  // {1} office code
  kSyncDone,  // {1} rows sent
  kSyncRefusedCount,  // {1} rows
  kSyncDoneRest,  // {1} rows received, {2} requests, {3} up, {4} down, {5} ms
  kSyncSnapshot,  // {1} rows removed
  kSyncRestamped,  // {1} rows
  kSyncClockSkew,  // {1} seconds
  kSyncRefusedRow,  // {1} code, {2} table, {3} row id, {4} reason
  kSyncProgress,  // {1} rows sent, {2} KB, {3} rows received, {4} KB, {5} requests
  kSyncFailed,  // {1} the error
  kSyncWorksAgain,  // {1} how long it failed
  kSyncNeedsPerson,
  kSyncFailing,  // {1} how long, {2} attempts, {3} seconds to the next
  kSeconds,  // {1} a duration
  kMinutes,
  kHours,
  kHelpEnroll,
  kHelpServer,
  kHelpToken,
  kHelpCacert,
  kHelpSync,
  kHelpWatch,
  kHelpPoll,
  kHelpMaxBackoff,
  kHelpStallTimeout,
  kHelpSyncFooter,
  kHelpStatus,

  // Cards (client/cli/cmd_cards.cc, client/lib/cards.cc).
  kCardsWritten,  // {1} count, {2} file
  kCannotWrite,  // {1} file
  kTrainingMissingSeeList,  // {1} training id
  kQrFailed,  // {1} the text
  kHelpCards,
  kHelpCardsTraining,
  kHelpCardsOut,

  // The office database (client/lib/office_db*.cc).
  kOfficeUnknown,  // {1} the query, {2} the known offices, one a line
  kDbOtherOffice,  // {1} path, {2} its office
  kDbMissing,  // {1} path
  kDbNoOffice,  // {1} path
  kBadMinutesPerJp,  // {1} the setting
  kNoLocalTime,
  kBadTime,  // {1} the value
  kAspectsNotObject,  // {1} the value
  kAspectNotPair,  // {1} the part
  kAspectBadScore,  // {1} score, {2} aspect
  kSessionMissing,  // {1} session id
  kTrainingMissing,  // {1} training id
  kNipNotRegistered,  // {1} NIP
  kNipNotRegisteredAttend,  // {1} NIP
  kNipAlreadyRegistered,  // {1} NIP, {2} name
  kMinutesLateRange,  // {1} the value
  kScoreRange,  // {1} the value
  kDateNotReal,  // {1} kFieldDate/kFieldStartDate/kFieldEndDate, {2} the value
  kFieldDate,
  kFieldStartDate,
  kFieldEndDate,
  kBadPeriod,  // {1} the value
  kScoresNotNine,  // {1} the value
  kUnsurScoreRange,  // {1} unsur number, {2} its name, {3} the value
  kTypeMismatch,  // {1} the type given, {2} NIP, {3} PNS/PPPK
  kNameOfNipEmpty,  // {1} NIP
  kNameRequired,
  kTitleRequired,
  kEndBeforeStart,  // {1} end, {2} start
  kNeedJpOrMinutes,
  kJpNotPositive,  // {1} the value
  kMinutesNotPositive,  // {1} the value
  kBadScope,  // {1} the value
  kDateOutsideTraining,  // {1} date, {2} start, {3} end
  kTimeNotHhMm,  // {1} the value
  kEndTimeNotAfterStart,  // {1} end, {2} start

  // CSV files and imports (client/lib/csv.cc, importers.cc).
  kCsvBadUtf8,  // {1} the byte in hex
  kCsvTextAfterQuote,
  kCsvQuoteNotClosed,
  kCsvEmpty,
  kCsvMissingColumn,  // {1} column
  kCsvAlsoAccepted,  // {1} other names
  kCsvColumnTwice,  // {1} column
  kCsvColumnAt,  // {1} header name, {2} position
  kFileNotFound,  // {1} path
  kFileIsDirectory,  // {1} path
  kFileCannotOpen,  // {1} path, {2} the OS error
  kFileReadFailed,  // {1} path
  kLineTooWide,  // {1} fields, {2} header fields
  kNipTwiceInFile,  // {1} NIP
  kActiveNotYaTidak,  // {1} the value
  kNewNipNoName,  // {1} NIP

  // The server link (client/lib/sync_client.cc).
  kServerUrlScheme,  // {1} the URL
  kTokenEmpty,
  kEnrollAnswerUnreadable,
  kEnrollOtherOffice,  // {1} the server's office, {2} this database's
  kNotEnrolled,

  // NIP checks of sync/domain/nip.cc, worded by the client (domain::NipWording).
  kNipNotDigit,  // {1} the text given, {2} the character
  kNipDigitCount,  // {1} the text given, {2} digits found, {3} expected
  kNipBirthYear,  // {1} NIP, {2} year, {3}..{4} range
  kNipBirthDate,  // {1} NIP, {2} date
  kNipPppkContracts,  // {1} NIP, {2} count
  kNipTmtMonth,  // {1} NIP, {2} the two digits
  kNipPnsTooYoung,  // {1} NIP, {2} TMT, {3} birth date, {4} minimum age
  kNipPppkTooYoung,  // {1} NIP, {2} year, {3} birth date, {4} minimum age
  kNipGender,  // {1} NIP, {2} the digit
  kNipSerial,  // {1} NIP, {2} the serial
  // Issue 9 on the device: SKP, e-mail on the roster, training costs
  // (client/lib/office_db_skp.cc, cli/cmd_skp.cc, docs/SKP.md).
  kHelpSkp,
  kHelpSkpAdd,
  kHelpSkpImport,
  kHelpSkpFile,
  kHelpSkpList,
  kHelpSkpYear,
  kHelpSkpYearFilter,
  kHelpSkpPeriod,
  kHelpSkpHasil,
  kHelpSkpPerilaku,
  kHelpSkpAssessedOn,
  kHelpSkpAssessorNip,
  kHelpSkpAssessorName,
  kSkpRecorded,  // {1} year, {2} period, {3} name, {4} NIP, {5} hasil label, {6} perilaku label, {7} predicate label
  kImportSkp,    // what kImportSummary counts
  kSkpBadRating,  // {1} the field (kFieldHasilKerja/kFieldPerilakuKerja), {2} the text
  kSkpBadPeriod,  // {1} the text
  kSkpBadYear,    // {1} the text
  kSkpBadPredicate,  // {1} the text
  kSkpPredicateMismatch,  // {1} predikat given, {2} hasil label, {3} perilaku label, {4} the derived label
  kSkpTwiceInFile,  // {1} NIP, {2} year, {3} period
  kSkpAssessorNip,  // {1} the NIP's problem
  kSkpAssessorNameLong,  // {1} its length
  kSkpFooter,  // {1} assessments, {2} "Sangat Baik 1, Baik 3, ..."
  kFieldHasilKerja,
  kFieldPerilakuKerja,
  kFieldAssessedOn,
  kHelpEmail,
  kBadEmail,  // {1} the text
  kElearningEmailUnknown,  // {1} e-mail
  kElearningEmailAmbiguous,  // {1} e-mail, {2} how many, {3} their NIPs
  kElearningEmailBad,  // {1} the text
  kHelpCostPlanned,
  kHelpCostActual,
  kHelpFunding,
  kHelpTrainingCost,
  kHelpCostPlannedShort,
  kHelpCostActualShort,
  kFieldCostPlanned,
  kFieldCostActual,
  kRupiahBad,  // {1} the field, {2} the text
  kRupiahTooLarge,  // {1} the field, {2} the text
  kBadFunding,  // {1} the text, {2} the codes
  kTrainingCostNothing,
  kTrainingCostSet,  // {1} training title, {2} planned, {3} actual, {4} funding
  kTrainingNotThisOffice,  // {1} training id
  kCount_
};

// The message in the current language.
std::string_view Say(Msg message);
// The message with {1}, {2}... replaced by `args` in order.
std::string Say(Msg message, std::initializer_list<std::string_view> args);
// The message in `language` (for tests and the catalog check).
std::string_view SayIn(Language language, Msg message);

}  // namespace latih::client
