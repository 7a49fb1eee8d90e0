#include "sync/sqlite/reports.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <map>
#include <unordered_map>

#include "sync/domain/vocab.h"

namespace latih::sync::sqlite {
namespace {

// The credit of every session dated in [?1, ?2) (of training ?3 only, unless
// ?3 is NULL): its own JP, or an equal share of what the training's JP
// leaves after the sessions that set one.
std::string SessionCreditCte(const Db& db) {
  return std::string(R"sql(
  session_credit AS MATERIALIZED (
    SELECT s.id AS session_id, s.training_id, t.jp AS training_jp, t.competency, t.route,
           CASE WHEN s.jp IS NOT NULL THEN s.jp ELSE
             )sql") + db.greatest() + R"sql((0.0, (t.jp - coalesce((SELECT sum(x.jp) FROM session x
                                         WHERE x.training_id = s.training_id AND x.jp IS NOT NULL), 0.0))
                      / (SELECT count(*) FROM session x
                         WHERE x.training_id = s.training_id AND x.jp IS NULL))
           END AS credit
    FROM session s JOIN training t ON t.id = s.training_id
    WHERE s.date >= ?1 AND s.date < ?2 AND (CAST(?3 AS TEXT) IS NULL OR s.training_id = ?3))
)sql";
}

std::optional<double> OptDouble(const Stmt& s, int i) {
  if (s.ColumnIsNull(i)) return std::nullopt;
  return ValueToDouble(s.Column(i));
}

}  // namespace

namespace {

struct SessionCredit {
  std::string session_id;
  int training = 0;  // index into the trainings of the year
  double credit = 0;
};

struct TrainingOfYear {
  double jp = 0;
  std::string competency, route, id;
  int sessions = 0;  // in the year
};

// Per employee: credit and attended sessions per training of the year.
using CreditByTraining = std::map<int, std::pair<double, int>>;  // ordered: stable sums

Status LoadSessionCredits(Store& store, int year, std::vector<SessionCredit>& sessions,
                          std::vector<TrainingOfYear>& trainings) {
  const std::string sql = "WITH " + SessionCreditCte(store.db()) +
      " SELECT session_id, training_id, credit, training_jp, competency, route FROM session_credit"
      " ORDER BY training_id";
  LATIH_ASSIGN_OR_RETURN(auto s, store.db().PrepareOwned(sql));
  s->Bind(1, std::to_string(year) + "-01-01").Bind(2, std::to_string(year + 1) + "-01-01").Bind(3, Value());
  std::string last_training;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    if (trainings.empty() || s->ColumnText(1) != last_training) {
      last_training = s->ColumnText(1);
      trainings.push_back({ValueToDouble(s->Column(3)), s->ColumnText(4), s->ColumnText(5), last_training, 0});
    }
    ++trainings.back().sessions;
    sessions.push_back({s->ColumnText(0), static_cast<int>(trainings.size()) - 1, ValueToDouble(s->Column(2))});
  }
  return Status::Ok();
}

// One pass over the covering index (session_id, employee_id, status):
// cheaper than a query per session, and no string is allocated per row.
// For one office, only its employees' rows (through attendance_by_employee):
// a kelurahan's share, not the city's.
Status AccumulateAttendance(Store& store, const std::vector<SessionCredit>& sessions,
                            std::unordered_map<std::string, CreditByTraining>& credits,
                            const std::optional<std::string>& office_id = std::nullopt) {
  std::unordered_map<std::string, const SessionCredit*> by_id;
  for (const auto& s : sessions) by_id.emplace(s.session_id, &s);
  const Db& db = store.db();
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(
      office_id ? "SELECT a.session_id, a.employee_id, a.status FROM employee e JOIN attendance a" +
                      db.indexed_by("attendance_by_employee") + " ON a.employee_id = e.id WHERE e.office_id = ?1"
                : "SELECT session_id, employee_id, status FROM attendance" + db.indexed_by("attendance_by_session")));
  if (office_id) s->Bind(1, *office_id);
  std::string session_key, employee_key;
  const SessionCredit* session = nullptr;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    const std::string_view sid = s->ColumnView(0);
    if (sid != session_key) {  // rows arrive grouped by session
      session_key.assign(sid);
      auto it = by_id.find(session_key);
      session = it == by_id.end() ? nullptr : it->second;
    }
    if (!session || !domain::StatusCountsAsAttended(s->ColumnView(2))) continue;
    employee_key.assign(s->ColumnView(1));
    auto& acc = credits[employee_key][session->training];
    acc.first += session->credit;
    acc.second += 1;
  }
  s->Reset();
  return Status::Ok();
}

}  // namespace

Result<std::vector<JpRow>> JpReport(Store& store, int year, std::optional<std::string> office_id,
                                    const domain::JpPolicy& policy) {
  std::vector<SessionCredit> sessions;
  std::vector<TrainingOfYear> trainings;
  LATIH_RETURN_IF_ERROR(LoadSessionCredits(store, year, sessions, trainings));
  std::unordered_map<std::string, CreditByTraining> credits;
  LATIH_RETURN_IF_ERROR(AccumulateAttendance(store, sessions, credits, office_id));
  return JpRows(store, office_id, [&](JpRow& r) {
    auto it = credits.find(r.employee_id);
    if (it == credits.end()) return;
    for (const auto& [training, acc] : it->second) {
      const TrainingOfYear& t = trainings[training];
      AddCredit(r, std::min(acc.first, t.jp), acc.second, t.competency, t.route);  // never more than the training's JP
    }
  }, policy);
}

Result<std::vector<JpRow>> JpRows(Store& store, const std::optional<std::string>& office_id,
                                  const std::function<void(JpRow&)>& credit, const domain::JpPolicy& policy) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(
      "SELECT id, nip, name, office_id, employment_type FROM employee "
      "WHERE active = 1 AND (CAST(?1 AS TEXT) IS NULL OR office_id = ?1) ORDER BY office_id, name, nip"));
  s->Bind(1, office_id ? Value(*office_id) : Value());
  std::vector<JpRow> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    JpRow r;
    r.employee_id = s->ColumnText(0);
    r.nip = s->ColumnText(1);
    r.name = s->ColumnText(2);
    r.office_id = s->ColumnText(3);
    r.type = s->ColumnText(4) == "pppk" ? domain::EmploymentType::kPppk : domain::EmploymentType::kPns;
    credit(r);
    r.standing = domain::EvaluateJp(r.type, r.jp, policy);
    out.push_back(std::move(r));
  }
  s->Reset();
  return out;
}

void AddCredit(JpRow& r, double jp, int sessions, const std::string& competency, const std::string& route) {
  r.jp += jp;
  r.sessions += sessions;
  r.trainings += 1;
  if (competency == "teknis") r.jp_teknis += jp;
  else if (competency == "manajerial") r.jp_manajerial += jp;
  else if (competency == "sosial_kultural") r.jp_sosial_kultural += jp;
  if (route == "klasikal") r.jp_klasikal += jp;
  else if (route == "non_klasikal") r.jp_non_klasikal += jp;
  else if (route == "pendidikan") r.jp_pendidikan += jp;
}

Result<std::vector<TrainingCredit>> TrainingCredits(Store& store, int year, std::optional<std::string> office_id) {
  std::vector<SessionCredit> sessions;
  std::vector<TrainingOfYear> trainings;
  LATIH_RETURN_IF_ERROR(LoadSessionCredits(store, year, sessions, trainings));
  std::unordered_map<std::string, CreditByTraining> credits;
  LATIH_RETURN_IF_ERROR(AccumulateAttendance(store, sessions, credits, office_id));
  LATIH_ASSIGN_OR_RETURN(auto employees, CreditedEmployees(store, office_id, credits));
  std::vector<TrainingCredit> out;
  for (const auto& id : employees) {
    const size_t first = out.size();
    for (const auto& [training, acc] : credits[id]) {
      const TrainingOfYear& t = trainings[training];
      out.push_back({id, t.id, std::min(acc.first, t.jp), acc.second, t.sessions});
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const TrainingCredit& a, const TrainingCredit& b) { return a.training_id < b.training_id; });
  }
  return out;
}

Result<TrainingAttendance> AttendanceReport(Store& store, const std::string& training_id) {
  LATIH_ASSIGN_OR_RETURN(auto training, store.Get("training", training_id));
  if (!training) return Status::NotFound("training " + training_id + " does not exist");
  TrainingAttendance rep;
  rep.training_id = training_id;
  rep.title = ValueToText(training->values[store.catalog().Find("training")->ColumnIndex("title")]);
  const std::string sql = "WITH " + SessionCreditCte(store.db()) + R"sql(,
  participants AS (
    SELECT count(DISTINCT a.employee_id) AS n FROM attendance a JOIN session s ON s.id = a.session_id
    WHERE s.training_id = ?3)
  SELECT s.id, s.date, coalesce(s.start_time, ''), c.credit, (SELECT n FROM participants),
         count(a.id) FILTER (WHERE a.status = 'hadir'), count(a.id) FILTER (WHERE a.status = 'terlambat'),
         count(a.id) FILTER (WHERE a.status = 'pulang_awal'), count(a.id) FILTER (WHERE a.status = 'izin'),
         count(a.id) FILTER (WHERE a.status = 'sakit'), count(a.id) FILTER (WHERE a.status = 'dinas_luar'),
         count(a.id) FILTER (WHERE a.status = 'cuti'), count(a.id) FILTER (WHERE a.status = 'alpa')
  FROM session s JOIN session_credit c ON c.session_id = s.id
  LEFT JOIN attendance a ON a.session_id = s.id
  WHERE s.training_id = ?3
  GROUP BY s.id, c.credit ORDER BY s.date, s.start_time, s.id)sql";
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(sql));
  s->Bind(1, "0000-01-01").Bind(2, "9999-12-31").Bind(3, training_id);
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    SessionAttendance a;
    a.session_id = s->ColumnText(0);
    a.date = s->ColumnText(1);
    a.start_time = s->ColumnText(2);
    a.jp_credit = ValueToDouble(s->Column(3));
    a.participants = static_cast<int>(s->ColumnInt(4));
    int* counts[] = {&a.hadir, &a.terlambat, &a.pulang_awal, &a.izin, &a.sakit, &a.dinas_luar, &a.cuti, &a.alpa};
    for (int i = 0; i < 8; ++i) *counts[i] = static_cast<int>(s->ColumnInt(5 + i));
    a.attended = a.hadir + a.terlambat + a.pulang_awal;
    a.rate = a.participants ? static_cast<double>(a.attended) / a.participants : 0;
    rep.participants = a.participants;
    rep.attended += a.attended;
    rep.by_session.push_back(std::move(a));
  }
  s->Reset();
  rep.sessions = static_cast<int>(rep.by_session.size());
  const int possible = rep.participants * rep.sessions;
  rep.rate = possible ? static_cast<double>(rep.attended) / possible : 0;
  return rep;
}

namespace {

Status FillPrePost(Store& store, EvaluationSummary& rep) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(R"sql(
    SELECT count(*) FILTER (WHERE kind = 'pre_test'), avg(score) FILTER (WHERE kind = 'pre_test'),
           count(*) FILTER (WHERE kind = 'post_test'), avg(score) FILTER (WHERE kind = 'post_test'),
           count(*) FILTER (WHERE kind = 'reaction'), avg(score) FILTER (WHERE kind = 'reaction'),
           count(*) FILTER (WHERE kind = 'behaviour'), avg(score) FILTER (WHERE kind = 'behaviour'),
           count(*) FILTER (WHERE kind = 'result'), avg(score) FILTER (WHERE kind = 'result')
    FROM evaluation WHERE training_id = ?1)sql"));
  s->Bind(1, rep.training_id);
  LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
  if (row) {
    rep.n_pre = static_cast<int>(s->ColumnInt(0));
    rep.mean_pre = OptDouble(*s, 1);
    rep.n_post = static_cast<int>(s->ColumnInt(2));
    rep.mean_post = OptDouble(*s, 3);
    rep.n_reaction = static_cast<int>(s->ColumnInt(4));
    rep.mean_reaction = OptDouble(*s, 5);
    rep.n_behaviour = static_cast<int>(s->ColumnInt(6));
    rep.mean_behaviour = OptDouble(*s, 7);
    rep.n_result = static_cast<int>(s->ColumnInt(8));
    rep.mean_result = OptDouble(*s, 9);
  }
  s->Reset();
  LATIH_ASSIGN_OR_RETURN(Stmt* p, store.db().Prepare(R"sql(
    SELECT count(*), avg(pre.score), avg(post.score)
    FROM evaluation pre JOIN evaluation post
      ON post.training_id = pre.training_id AND post.employee_id = pre.employee_id AND post.kind = 'post_test'
    WHERE pre.training_id = ?1 AND pre.kind = 'pre_test')sql"));
  p->Bind(1, rep.training_id);
  LATIH_ASSIGN_OR_RETURN(bool prow, p->Step());
  if (prow && p->ColumnInt(0) > 0) {
    rep.n_paired = static_cast<int>(p->ColumnInt(0));
    rep.paired_pre = OptDouble(*p, 1);
    rep.paired_post = OptDouble(*p, 2);
    rep.gain = *rep.paired_post - *rep.paired_pre;
    constexpr double kMaxScore = 100;
    if (*rep.paired_pre < kMaxScore) rep.normalized_gain = *rep.gain / (kMaxScore - *rep.paired_pre);
  }
  p->Reset();
  return Status::Ok();
}

}  // namespace

Result<EvaluationSummary> EvaluationReport(Store& store, const std::string& training_id) {
  LATIH_ASSIGN_OR_RETURN(auto training, store.Get("training", training_id));
  if (!training) return Status::NotFound("training " + training_id + " does not exist");
  EvaluationSummary rep;
  rep.training_id = training_id;
  rep.title = ValueToText(training->values[store.catalog().Find("training")->ColumnIndex("title")]);
  LATIH_RETURN_IF_ERROR(FillPrePost(store, rep));
  // Each aspect's mean: SQLite's json_each, PostgreSQL's jsonb_each (whose
  // values are jsonb, numbers as text).
  const bool pg = store.db().dialect() == Dialect::kPostgres;
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(std::string(pg ? R"sql(
    SELECT j.key, count(*), avg(CAST(j.value #>> '{}' AS DOUBLE PRECISION))
    FROM evaluation e, jsonb_each(CAST(e.aspects AS JSONB)) j)sql" : R"sql(
    SELECT j.key, count(*), avg(j.value) FROM evaluation e, json_each(e.aspects) j)sql") + R"sql(
    WHERE e.training_id = ?1 AND e.kind = 'reaction' AND e.aspects IS NOT NULL
    GROUP BY j.key ORDER BY j.key)sql"));
  s->Bind(1, training_id);
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    rep.reaction_aspects.push_back(
        AspectMean{s->ColumnText(0), static_cast<int>(s->ColumnInt(1)), ValueToDouble(s->Column(2))});
  }
  s->Reset();
  return rep;
}

Result<std::vector<TrainingSummary>> TrainingSummaries(
    Store& store, const std::vector<std::string>& training_ids,
    const std::unordered_map<std::string, std::pair<int, int>>* attendance) {
  std::vector<TrainingSummary> out(training_ids.size());
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < training_ids.size(); ++i) {
    out[i].training_id = training_ids[i];
    index.emplace(training_ids[i], i);
  }
  // Sessions, and which training each belongs to.
  std::unordered_map<std::string, size_t> session_training;
  {
    LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare("SELECT id, training_id FROM session"));
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      auto it = index.find(s->ColumnText(1));
      if (it == index.end()) continue;
      ++out[it->second].sessions;
      session_training.emplace(s->ColumnText(0), it->second);
    }
    s->Reset();
  }
  if (attendance != nullptr) {
    for (size_t i = 0; i < out.size(); ++i) {
      auto it = attendance->find(training_ids[i]);
      if (it != attendance->end()) std::tie(out[i].participants, out[i].attended) = it->second;
      const int possible = out[i].participants * out[i].sessions;
      out[i].rate = possible ? static_cast<double>(out[i].attended) / possible : 0;
    }
  } else {
    // One pass over the covering index, grouped by session (as AccumulateAttendance).
    std::unordered_map<std::string, int> employee_number;
    std::vector<std::vector<int>> people(out.size());
    LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(
        "SELECT session_id, employee_id, status FROM attendance" + store.db().indexed_by("attendance_by_session")));
    std::string session_key;
    size_t training = SIZE_MAX;
    std::string employee_key;
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      const std::string_view sid = s->ColumnView(0);
      if (sid != session_key) {
        session_key.assign(sid);
        auto it = session_training.find(session_key);
        training = it == session_training.end() ? SIZE_MAX : it->second;
      }
      if (training == SIZE_MAX) continue;
      employee_key.assign(s->ColumnView(1));
      auto [it, added] = employee_number.try_emplace(employee_key, static_cast<int>(employee_number.size()));
      people[training].push_back(it->second);
      if (domain::StatusCountsAsAttended(s->ColumnView(2))) ++out[training].attended;
    }
    s->Reset();
    for (size_t i = 0; i < out.size(); ++i) {
      std::sort(people[i].begin(), people[i].end());
      out[i].participants = static_cast<int>(std::unique(people[i].begin(), people[i].end()) - people[i].begin());
      const int possible = out[i].participants * out[i].sessions;
      out[i].rate = possible ? static_cast<double>(out[i].attended) / possible : 0;
    }
  }
  // Test and reaction means, then the pre/post pairs. On the server both
  // read the covering index evaluation_scores (schema/server/0008) alone.
  {
    LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(R"sql(
      SELECT training_id, kind, count(*), avg(score) FROM evaluation
      GROUP BY training_id, kind)sql"));
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
      if (!row) break;
      auto it = index.find(s->ColumnText(0));
      if (it == index.end()) continue;
      TrainingSummary& t = out[it->second];
      const std::string kind = s->ColumnText(1);
      const int n = static_cast<int>(s->ColumnInt(2));
      const std::optional<double> mean = OptDouble(*s, 3);
      if (kind == "pre_test") {
        t.n_pre = n;
        t.mean_pre = mean;
      } else if (kind == "post_test") {
        t.n_post = n;
        t.mean_post = mean;
      } else if (kind == "reaction") {
        t.n_reaction = n;
        t.mean_reaction = mean;
      } else if (kind == "behaviour") {
        t.n_behaviour = n;
        t.mean_behaviour = mean;
      } else {
        t.n_result = n;
        t.mean_result = mean;
      }
    }
    s->Reset();
    LATIH_ASSIGN_OR_RETURN(Stmt* p, store.db().Prepare(R"sql(
      SELECT pre.training_id, count(*), avg(pre.score), avg(post.score)
      FROM evaluation pre JOIN evaluation post
        ON post.training_id = pre.training_id AND post.kind = 'post_test' AND post.employee_id = pre.employee_id
      WHERE pre.kind = 'pre_test' GROUP BY pre.training_id)sql"));
    while (true) {
      LATIH_ASSIGN_OR_RETURN(bool row, p->Step());
      if (!row) break;
      auto it = index.find(p->ColumnText(0));
      if (it == index.end() || p->ColumnInt(1) == 0) continue;
      TrainingSummary& t = out[it->second];
      t.n_paired = static_cast<int>(p->ColumnInt(1));
      const double pre = ValueToDouble(p->Column(2)), post = ValueToDouble(p->Column(3));
      t.gain = post - pre;
      constexpr double kMaxScore = 100;
      if (pre < kMaxScore) t.normalized_gain = *t.gain / (kMaxScore - pre);
    }
    p->Reset();
  }
  return out;
}

Result<std::vector<IkmRow>> IkmReport(Store& store, const std::string& period,
                                      std::optional<std::string> office_id) {
  LATIH_ASSIGN_OR_RETURN(Stmt* s, store.db().Prepare(R"sql(
    SELECT r.office_id, o.name, count(*), sum(u1), sum(u2), sum(u3), sum(u4), sum(u5),
           sum(u6), sum(u7), sum(u8), sum(u9)
           , r.period
    FROM skm_response r JOIN office o ON o.id = r.office_id
    WHERE (?1 = '' OR r.period = ?1) AND (CAST(?2 AS TEXT) IS NULL OR r.office_id = ?2)
    GROUP BY r.period, r.office_id, o.name ORDER BY r.period, r.office_id)sql"));
  s->Bind(1, period).Bind(2, office_id ? Value(*office_id) : Value());
  std::vector<IkmRow> out;
  while (true) {
    LATIH_ASSIGN_OR_RETURN(bool row, s->Step());
    if (!row) break;
    domain::SkmTotals totals;
    totals.respondents = s->ColumnInt(2);
    for (int i = 0; i < domain::kSkmUnsurCount; ++i) totals.sums[i] = s->ColumnInt(3 + i);
    out.push_back(IkmRow{s->ColumnText(0), s->ColumnText(1), s->ColumnText(12), domain::ComputeIkm(totals)});
  }
  s->Reset();
  return out;
}

}  // namespace latih::sync::sqlite
