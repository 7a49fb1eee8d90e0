#include "sync/sqlite/credit_summary.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sync/domain/vocab.h"

namespace latih::sync::sqlite {
namespace {

// More changed rows than this since the last refresh: rebuilding is cheaper
// than recomputing employee by employee.
constexpr int64_t kRebuildAbove = 200'000;

// Adds one attendance row to an employee's entries.
void Add(std::vector<CreditSummary::Entry>& entries, int training, int year, bool own_jp, double jp,
         std::string_view status) {
  auto it = std::find_if(entries.begin(), entries.end(),
                         [&](const CreditSummary::Entry& e) { return e.training == training && e.year == year; });
  if (it == entries.end()) {
    entries.push_back(CreditSummary::Entry{training, year});
    it = entries.end() - 1;
  }
  ++it->recorded;
  if (!domain::StatusCountsAsAttended(status)) return;
  ++it->attended;
  if (own_jp) {
    it->explicit_jp += jp;
  } else {
    ++it->implicit;
  }
}

// The columns each attendance query returns, in this order.
constexpr char kRowColumns[] =
    "s.training_id, CAST(substr(s.date, 1, 4) AS INTEGER), s.jp IS NOT NULL, coalesce(s.jp, 0), a.status";

struct TrainingFacts {
  double jp = 0, share = 0;  // share: the credit of a session without its own JP
  std::string competency, route;
};

// Every training's JP, kind and share (the JP rule of reports.h).
Result<std::unordered_map<std::string, TrainingFacts>> LoadTrainingFacts(Store& store) {
  std::unordered_map<std::string, TrainingFacts> out;
  LATIH_ASSIGN_OR_RETURN(Stmt* t, store.db().Prepare("SELECT id, jp, competency, route FROM training"));
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, t->Step());
    if (!row) break;
    out[t->ColumnText(0)] = {ValueToDouble(t->Column(1)), 0, t->ColumnText(2), t->ColumnText(3)};
  }
  t->Reset();
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(
      "SELECT training_id, coalesce(sum(jp), 0.0), count(*) FILTER (WHERE jp IS NULL) FROM session "
      "GROUP BY training_id"));
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    auto it = out.find(s->ColumnText(0));
    const int64_t implicit = s->ColumnInt(2);
    if (it == out.end() || implicit == 0) continue;
    it->second.share = std::max(0.0, (it->second.jp - ValueToDouble(s->Column(1))) / static_cast<double>(implicit));
  }
  s->Reset();
  return out;
}

}  // namespace

const std::vector<CreditSummary::Entry>& CreditSummary::Of(const std::string& employee_id) const {
  static const std::vector<Entry> kNone;
  auto it = by_employee_.find(employee_id);
  return it == by_employee_.end() ? kNone : it->second;
}

int CreditSummary::Training(const std::string& id) {
  auto [it, added] = training_index_.try_emplace(id, static_cast<int>(training_ids_.size()));
  if (added) training_ids_.push_back(id);
  return it->second;
}

Status CreditSummary::Rebuild(Store& store) {
  by_employee_.clear();
  LATIH_ASSIGN_OR_RETURN(auto s, store.db().PrepareOwned(
      std::string("SELECT a.employee_id, ") + kRowColumns +
      " FROM session s JOIN attendance a" + store.db().indexed_by("attendance_by_session") + " ON a.session_id = s.id"));
  std::string employee;
  std::vector<Entry>* entries = nullptr;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    if (entries == nullptr || s->ColumnView(0) != employee) {
      employee.assign(s->ColumnView(0));
      entries = &by_employee_[employee];
    }
    Add(*entries, Training(s->ColumnText(1)), static_cast<int>(s->ColumnInt(2)), s->ColumnInt(3) != 0,
        ValueToDouble(s->Column(4)), s->ColumnView(5));
  }
  return Status::Ok();
}

Status CreditSummary::Recompute(Store& store, const std::string& employee_id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(
      std::string("SELECT ") + kRowColumns +
      " FROM attendance a" + store.db().indexed_by("attendance_by_employee") + " JOIN session s ON s.id = a.session_id"
      " WHERE a.employee_id = ?1"));
  s->Bind(1, employee_id);
  std::vector<Entry> entries;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Add(entries, Training(s->ColumnText(0)), static_cast<int>(s->ColumnInt(1)), s->ColumnInt(2) != 0,
        ValueToDouble(s->Column(3)), s->ColumnView(4));
  }
  s->Reset();
  if (entries.empty()) {
    by_employee_.erase(employee_id);
  } else {
    by_employee_[employee_id] = std::move(entries);
  }
  return Status::Ok();
}

Result<int64_t> CreditSummary::Refresh(Store& store) {
  // One snapshot (Db::BeginRead) for the feed position and the rows read.
  LATIH_ASSIGN_OR_RETURN(auto snapshot, ReadTransaction::Begin(store.db()));
  LATIH_ASSIGN_OR_RETURN(Stmt* top, store.db().Prepare(
      "SELECT coalesce((SELECT max(seq) FROM change_log), 0), "
      "coalesce((SELECT purged_up_to FROM compaction), 0)"));
  LATIH_ASSIGN_OR_RETURN(bool got, top->Step());
  const int64_t last = got ? top->ColumnInt(0) : 0, purged = got ? top->ColumnInt(1) : 0;
  top->Reset();
  if (last == seq_) {
    snapshot.reset();
    return int64_t{0};
  }
  bool rebuild = seq_ < 0 || purged > seq_;  // changes we never saw may be gone from the log
  std::set<std::string> employees;
  if (!rebuild) {
    const TableDef* attendance = store.catalog().Find("attendance");
    const int employee_column = attendance ? attendance->ColumnIndex("employee_id") : -1;
    LATIH_ASSIGN_OR_RETURN(auto changed, store.db().PrepareOwned(
        "SELECT row_id, tbl FROM change_log WHERE seq > ?1 AND tbl IN ('attendance', 'session')"));
    changed->Bind(1, seq_);
    LATIH_ASSIGN_OR_RETURN(Stmt* current, store.db().Prepare("SELECT employee_id FROM attendance WHERE id = ?1"));
    LATIH_ASSIGN_OR_RETURN(Stmt* gone, store.db().Prepare("SELECT vals FROM deleted_row WHERE row_id = ?1"));
    LATIH_ASSIGN_OR_RETURN(Stmt* of_session, store.db().Prepare(
        "SELECT employee_id FROM attendance" + store.db().indexed_by("attendance_by_session") + " WHERE session_id = ?1"));
    int64_t rows = 0;
    while (!rebuild) {
      LATIH_ASSIGN_OR_RETURN(bool row, changed->Step());
      if (!row) break;
      if (++rows > kRebuildAbove) {
        rebuild = true;
        break;
      }
      const std::string id = changed->ColumnText(0);
      if (changed->ColumnText(1) == "session") {
        of_session->Bind(1, id);
        while (true) {
          LATIH_ASSIGN_OR_RETURN(bool more, of_session->Step());
          if (!more) break;
          employees.insert(of_session->ColumnText(0));
        }
        of_session->Reset();
        continue;
      }
      current->Bind(1, id);
      LATIH_ASSIGN_OR_RETURN(bool alive, current->Step());
      if (alive) employees.insert(current->ColumnText(0));
      current->Reset();
      if (alive) continue;
      // Deleted: its employee is in the tombstone (values in catalog order).
      gone->Bind(1, id);
      LATIH_ASSIGN_OR_RETURN(bool tomb, gone->Step());
      const auto vals = tomb ? nlohmann::json::parse(gone->ColumnText(0), nullptr, false) : nlohmann::json();
      gone->Reset();
      if (employee_column < 0 || !vals.is_array() || static_cast<int>(vals.size()) <= employee_column ||
          !vals[employee_column].is_string()) {
        rebuild = true;  // whose it was is not known: start over
        break;
      }
      employees.insert(vals[employee_column].get<std::string>());
    }
  }
  int64_t recomputed = 0;
  if (rebuild) {
    LATIH_RETURN_IF_ERROR(Rebuild(store));
    recomputed = static_cast<int64_t>(by_employee_.size());
  } else {
    for (const auto& e : employees) LATIH_RETURN_IF_ERROR(Recompute(store, e));
    recomputed = static_cast<int64_t>(employees.size());
  }
  seq_ = last;
  snapshot.reset();
  return recomputed;
}

Result<std::vector<JpRow>> CreditSummary::Jp(Store& store, int year, std::optional<std::string> office_id,
                                             const domain::JpPolicy& policy) const {
  LATIH_ASSIGN_OR_RETURN(auto facts, LoadTrainingFacts(store));
  std::vector<const TrainingFacts*> by_index(training_ids_.size(), nullptr);
  for (size_t i = 0; i < training_ids_.size(); ++i) {
    auto it = facts.find(training_ids_[i]);
    if (it != facts.end()) by_index[i] = &it->second;
  }
  return JpRows(store, office_id, [&](JpRow& r) {
    for (const Entry& e : Of(r.employee_id)) {
      const TrainingFacts* t = by_index[e.training];
      if (e.year != year || e.attended == 0 || t == nullptr) continue;
      AddCredit(r, std::min(e.explicit_jp + e.implicit * t->share, t->jp), e.attended, t->competency, t->route);
    }
  }, policy);
}

Result<std::vector<TrainingCredit>> CreditSummary::Credits(Store& store, int year,
                                                           std::optional<std::string> office_id, int64_t offset,
                                                           int64_t limit, int64_t* total) const {
  LATIH_ASSIGN_OR_RETURN(auto facts, LoadTrainingFacts(store));
  std::unordered_map<std::string, int> sessions_in_year;
  LATIH_ASSIGN_OR_RETURN(Stmt* n, store.db().Prepare(
      "SELECT training_id, count(*) FROM session WHERE date >= ?1 AND date < ?2 GROUP BY training_id"));
  n->Bind(1, std::to_string(year) + "-01-01").Bind(2, std::to_string(year + 1) + "-01-01");
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, n->Step());
    if (!row) break;
    sessions_in_year[n->ColumnText(0)] = static_cast<int>(n->ColumnInt(1));
  }
  n->Reset();
  // By training index: no string lookups per entry (a city has 1.4 million).
  std::vector<const TrainingFacts*> by_index(training_ids_.size(), nullptr);
  std::vector<int> sessions_by_index(training_ids_.size(), 0);
  for (size_t i = 0; i < training_ids_.size(); ++i) {
    auto it = facts.find(training_ids_[i]);
    if (it != facts.end()) by_index[i] = &it->second;
    auto n = sessions_in_year.find(training_ids_[i]);
    if (n != sessions_in_year.end()) sessions_by_index[i] = n->second;
  }
  LATIH_ASSIGN_OR_RETURN(auto employees, CreditedEmployees(store, office_id, by_employee_));
  std::vector<TrainingCredit> out;
  int64_t at = 0;
  std::vector<const Entry*> mine;
  for (const auto& id : employees) {
    mine.clear();
    for (const Entry& e : Of(id)) {
      if (e.year == year && e.attended > 0 && by_index[e.training] != nullptr) mine.push_back(&e);
    }
    if (at + static_cast<int64_t>(mine.size()) <= offset || at >= offset + limit) {
      at += static_cast<int64_t>(mine.size());  // outside the page: counted, not built
      continue;
    }
    std::sort(mine.begin(), mine.end(), [this](const Entry* a, const Entry* b) {
      return training_ids_[a->training] < training_ids_[b->training];
    });
    for (const Entry* e : mine) {
      if (at >= offset && at < offset + limit) {
        const TrainingFacts* t = by_index[e->training];
        out.push_back({id, training_ids_[e->training], std::min(e->explicit_jp + e->implicit * t->share, t->jp),
                       e->attended, sessions_by_index[e->training]});
      }
      ++at;
    }
  }
  *total = at;
  return out;
}

void CreditSummary::TrainingAttendance(std::unordered_map<std::string, std::pair<int, int>>& out) const {
  std::vector<std::pair<int, int>> by_index(training_ids_.size(), {0, 0});
  std::vector<int> seen_by(training_ids_.size(), -1);  // last employee counted, as a number
  int employee = 0;
  for (const auto& [id, entries] : by_employee_) {
    for (const Entry& e : entries) {
      if (e.recorded > 0 && seen_by[e.training] != employee) {
        seen_by[e.training] = employee;
        ++by_index[e.training].first;
      }
      by_index[e.training].second += e.attended;
    }
    ++employee;
  }
  for (size_t i = 0; i < training_ids_.size(); ++i) {
    if (by_index[i].first > 0) out[training_ids_[i]] = by_index[i];
  }
}

}  // namespace latih::sync::sqlite
