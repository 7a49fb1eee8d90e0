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
  kTrainingNotFound,    // {1} training id
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
  kCount_
};

// The message in the current language.
std::string_view Say(Msg message);
// The message with {1}, {2}... replaced by `args` in order.
std::string Say(Msg message, std::initializer_list<std::string_view> args);
// The message in `language` (for tests and the catalog check).
std::string_view SayIn(Language language, Msg message);

}  // namespace latih::client
