// Desk: the scores recorded at the end of a session (docs/DESK.md,
// "Scores"): pre-test, post-test and reaction, typed at the desk or
// imported from the facilitator's sheet. The check-in half is desk.cc.
#include <cstdlib>

#include "client/lib/desk.h"
#include "client/lib/messages.h"
#include "client/lib/office_db_internal.h"
#include "sync/domain/ids.h"
#include "sync/domain/nip.h"

namespace latih::client {
namespace {

using sync::sqlite::Stmt;

// The reaction's aspects, in the order the clerk types them (the LKPP
// level-1 instrument: material, facilitator, facilities, schedule).
constexpr std::string_view kAspects[] = {"materi", "fasilitator", "sarana", "jadwal"};

std::vector<std::string_view> SplitSpaces(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t at = 0;
  while (at < text.size()) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '/')) ++at;
    size_t end = at;
    while (end < text.size() && text[end] != ' ' && text[end] != '\t' && text[end] != '/') ++end;
    if (end > at) parts.push_back(text.substr(at, end - at));
    at = end;
  }
  return parts;
}

}  // namespace

std::string_view ScoreKindCode(ScoreKind kind) {
  switch (kind) {
    case ScoreKind::kPreTest: return "pre_test";
    case ScoreKind::kPostTest: return "post_test";
    case ScoreKind::kReaction: return "reaction";
  }
  return "";
}

const std::optional<double>& DeskScores::Of(ScoreKind kind) const {
  switch (kind) {
    case ScoreKind::kPreTest: return pre_test;
    case ScoreKind::kPostTest: return post_test;
    case ScoreKind::kReaction: break;
  }
  return reaction;
}

Status Desk::LoadScores() {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, db_.store().db().Prepare(
      "SELECT employee_id, kind, score FROM evaluation WHERE training_id = ?1 "
      "AND kind IN ('pre_test', 'post_test', 'reaction')"));
  s->Bind(1, training_id_);
  for (auto& p : roster_) p.scores = DeskScores{};
  for (;;) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());  // Prepare resets a statement an error left
    if (!row) break;
    DeskPerson* p = Find(s->ColumnText(0));
    if (!p) continue;  // someone off this desk's roster
    const std::string kind = s->ColumnText(1);
    const double score = std::strtod(s->ColumnText(2).c_str(), nullptr);  // REAL, read as its text
    if (kind == "pre_test") p->scores.pre_test = score;
    else if (kind == "post_test") p->scores.post_test = score;
    else p->scores.reaction = score;
  }
  s->Reset();
  return Status::Ok();
}

Result<DeskPerson> Desk::RecordScore(std::string_view nip, ScoreKind kind, std::string_view typed) {
  LATIH_ASSIGN_OR_RETURN(domain::NipInfo parsed, internal::ParseNipSaid(nip));
  EvaluateInput in;
  in.training_id = training_id_;
  in.nip = parsed.nip;
  in.kind = std::string(ScoreKindCode(kind));
  const auto parts = SplitSpaces(typed);
  if (parts.size() == 1) {
    LATIH_ASSIGN_OR_RETURN(in.score, ParseScore(parts[0]));
  } else if (kind == ScoreKind::kReaction && parts.size() == std::size(kAspects)) {
    std::string aspects;
    double sum = 0;
    for (size_t i = 0; i < parts.size(); ++i) {
      LATIH_ASSIGN_OR_RETURN(double v, ParseScore(parts[i]));
      aspects += (i ? "," : "") + std::string(kAspects[i]) + "=" + sync::ValueToText(v);
      sum += v;
    }
    in.score = sum / static_cast<double>(parts.size());
    in.aspects = aspects;
  } else {
    return Status::Invalid(Say(kind == ScoreKind::kReaction ? Msg::kDeskReactionFormat : Msg::kDeskScoreFormat,
                               {typed}));
  }
  LATIH_ASSIGN_OR_RETURN(std::string now, db_.LocalTimestamp());
  in.assessed_on = now.substr(0, 10);
  const std::string employee_id = domain::NaturalId("employee", {parsed.nip});
  const std::string evaluation_id = domain::NaturalId("evaluation", {training_id_, employee_id, in.kind});
  LATIH_ASSIGN_OR_RETURN(std::optional<sync::Row> before, db_.store().Get("evaluation", evaluation_id));
  LATIH_ASSIGN_OR_RETURN(auto batch, db_.store().BeginWrite());
  LATIH_RETURN_IF_ERROR(db_.Evaluate(*batch, in).status());
  LATIH_RETURN_IF_ERROR(batch->Commit());
  undo_.push_back(Undoable{"evaluation", evaluation_id, employee_id, std::move(before)});
  DeskPerson* person = Find(employee_id);
  if (!person) {  // registered, but not on this desk's roster: show them from now on
    LATIH_ASSIGN_OR_RETURN(auto record, db_.FindEmployee(parsed.nip));
    const std::string name = record ? record->name : parsed.nip;
    roster_.push_back(DeskPerson{employee_id, parsed.nip, name, "", "", "", std::nullopt, false,
                                 FoldForSearch(name), {}});
    person = &roster_.back();
    LATIH_RETURN_IF_ERROR(Refresh(*person));
  }
  LATIH_RETURN_IF_ERROR(LoadScores());
  return *person;
}

Result<ImportReport> Desk::ImportScores(const std::string& path) {
  LATIH_ASSIGN_OR_RETURN(CsvTable table, ReadCsvFile(path));
  LATIH_ASSIGN_OR_RETURN(ImportReport report, ImportEvaluations(db_, training_id_, table, path));
  if (report.errors.empty()) {
    // People scored by the sheet who are registered but were not on the
    // roster (another office's participant) stay off it: the sheet's
    // summary counts them; the roster is who this desk expects.
    LATIH_RETURN_IF_ERROR(LoadScores());
  }
  return report;
}

}  // namespace latih::client
