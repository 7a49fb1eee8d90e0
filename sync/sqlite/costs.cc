#include "sync/sqlite/costs.h"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "sync/sqlite/reports.h"

namespace latih::sync::sqlite {
namespace {

struct Training {
  CostLine line;
  std::optional<int64_t> planned, actual;
  int end_year = 0;
};

// The trainings of `year` with a cost recorded, in report order.
Result<std::vector<Training>> LoadTrainings(Store& store, int year, const std::optional<std::string>& office) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(R"sql(
    SELECT id, title, coalesce(office_id, ''), competency, route, coalesce(funding_source, ''), cost_planned,
           cost_actual, substr(end_date, 1, 4)
    FROM training
    WHERE substr(start_date, 1, 4) = ?1 AND (cost_planned IS NOT NULL OR cost_actual IS NOT NULL)
      AND (CAST(?2 AS TEXT) IS NULL OR coalesce(office_id, '') = ?2)
    ORDER BY start_date, title, id)sql"));
  s->Bind(1, std::to_string(year)).Bind(2, office ? Value(*office) : Value());
  std::vector<Training> out;
  for (;;) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    Training t;
    t.line.key = s->ColumnText(0);
    t.line.title = s->ColumnText(1);
    t.line.office_id = s->ColumnText(2);
    t.line.competency = s->ColumnText(3);
    t.line.route = s->ColumnText(4);
    t.line.funding_source = s->ColumnText(5);
    if (!IsNull(s->Column(6))) t.planned = s->ColumnInt(6);
    if (!IsNull(s->Column(7))) t.actual = s->ColumnInt(7);
    t.end_year = std::stoi(s->ColumnText(8));
    out.push_back(std::move(t));
  }
  s->Reset();
  return out;
}

// Adds training `t` (with what it credited) to `into`.
void Add(CostLine& into, const Training& t) {
  into.trainings += 1;
  if (t.planned) {
    into.with_planned += 1;
    into.planned += *t.planned;
  }
  if (t.actual) {
    into.with_actual += 1;
    into.actual += *t.actual;
    into.participants += t.line.participants;
    into.jp += t.line.jp;
  }
}

// The ratios of a line from its sums; `both_planned` / `both_actual`: the
// costs of its trainings that have both.
void Finish(CostLine& l, int64_t both_planned, int64_t both_actual) {
  if (both_planned > 0) l.realization = static_cast<double>(both_actual) / static_cast<double>(both_planned);
  if (l.with_actual > 0 && l.participants > 0) l.per_participant = static_cast<double>(l.actual) / l.participants;
  if (l.with_actual > 0 && l.jp > 0) l.per_jp = static_cast<double>(l.actual) / l.jp;
}

struct Group {
  CostLine line;
  int64_t both_planned = 0, both_actual = 0;
};

void AddTo(Group& g, const Training& t) {
  Add(g.line, t);
  if (t.planned && t.actual) {
    g.both_planned += *t.planned;
    g.both_actual += *t.actual;
  }
}

void AddTo(std::map<std::string, Group>& groups, const std::string& key, const Training& t) {
  Group& g = groups[key];
  g.line.key = key;
  AddTo(g, t);
}

std::vector<CostLine> Lines(std::map<std::string, Group>& groups) {
  std::vector<CostLine> out;
  for (auto& [key, g] : groups) {
    Finish(g.line, g.both_planned, g.both_actual);
    out.push_back(std::move(g.line));
  }
  return out;
}

}  // namespace

Result<CostReport> CostsOfYear(Store& store, int year, const std::optional<std::string>& office) {
  CostReport report;
  report.year = year;
  LATIH_ASSIGN_OR_RETURN(std::vector<Training> trainings, LoadTrainings(store, year, office));
  std::unordered_map<std::string, Training*> by_id;
  int last_year = year;
  for (auto& t : trainings) {
    by_id[t.line.key] = &t;
    last_year = std::max(last_year, t.end_year);
  }
  // What each training credited, in every year its sessions fall in; an
  // employee is one seat however many years the training spans.
  std::map<std::string, std::map<std::string, double>> seats;  // training -> employee -> JP
  for (int y = year; y <= last_year && !by_id.empty(); ++y) {
    LATIH_ASSIGN_OR_RETURN(auto credits, TrainingCredits(store, y, std::nullopt));
    for (const auto& c : credits) {
      if (c.jp > 0 && by_id.count(c.training_id)) seats[c.training_id][c.employee_id] += c.jp;
    }
  }
  std::map<std::string, Group> office_groups, competency_groups, route_groups, funding_groups;
  Group total;
  for (auto& t : trainings) {
    for (const auto& [employee, jp] : seats[t.line.key]) {
      t.line.participants += 1;
      t.line.jp += jp;
    }
    // A training's own line shows its seats and JP whether or not its
    // actual cost is known (a group counts them only with one); Finish
    // divides only with it.
    Group one{t.line};
    AddTo(one, t);
    one.line.participants = t.line.participants;
    one.line.jp = t.line.jp;
    Finish(one.line, one.both_planned, one.both_actual);
    report.trainings.push_back(std::move(one.line));
    AddTo(office_groups, t.line.office_id, t);
    AddTo(competency_groups, t.line.competency, t);
    AddTo(route_groups, t.line.route, t);
    AddTo(funding_groups, t.line.funding_source, t);
    AddTo(total, t);
  }
  report.by_office = Lines(office_groups);
  report.by_competency = Lines(competency_groups);
  report.by_route = Lines(route_groups);
  report.by_funding = Lines(funding_groups);
  Finish(total.line, total.both_planned, total.both_actual);
  report.total = std::move(total.line);
  return report;
}

}  // namespace latih::sync::sqlite
