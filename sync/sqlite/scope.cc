#include "sync/sqlite/scope.h"

#include <algorithm>

namespace latih::sync::sqlite {
namespace {

// The text of column `name` of `row`, or nullopt if NULL or absent.
std::optional<std::string> TextOf(const TableDef& td, const Row& row, const char* name) {
  const int i = td.ColumnIndex(name);
  if (i < 0 || static_cast<size_t>(i) >= row.values.size()) return std::nullopt;
  if (auto* s = std::get_if<std::string>(&row.values[i])) return *s;
  return std::nullopt;
}

std::string Describe(const RowOwners& owners) {
  if (owners.global) return "central (BKPSDM) data";
  if (owners.offices.empty()) return "a row of no office";
  std::string out = "office " + owners.offices[0];
  for (size_t i = 1; i < owners.offices.size(); ++i) out += " / " + owners.offices[i];
  return out;
}

}  // namespace

bool RowOwners::Has(const std::string& office) const {
  return std::find(offices.begin(), offices.end(), office) != offices.end();
}

Result<RowOwners> Scope::SessionOwners(const std::string& session_id) {
  if (auto it = session_owners_.find(session_id); it != session_owners_.end()) return it->second;
  RowOwners owners;  // a session not known here yet: no host office to add
  LATIH_ASSIGN_OR_RETURN(auto session, store_.Get("session", session_id));
  if (session) {
    const TableDef* td = store_.catalog().Find("session");
    LATIH_ASSIGN_OR_RETURN(owners, OwnersOf(*td, *session));
  }
  session_owners_.emplace(session_id, owners);
  return owners;
}

Result<std::optional<std::string>> Scope::EmployeeOffice(const std::string& employee_id) {
  if (auto it = employee_office_.find(employee_id); it != employee_office_.end()) return it->second;
  std::optional<std::string> office;
  LATIH_ASSIGN_OR_RETURN(auto employee, store_.Get("employee", employee_id));
  if (employee) office = TextOf(*store_.catalog().Find("employee"), *employee, "office_id");
  employee_office_.emplace(employee_id, office);
  return office;
}

Result<RowOwners> Scope::OwnersOf(const TableDef& td, const Row& row) {
  RowOwners owners;
  if (td.name == "office") {
    owners.global = true;
    return owners;
  }
  const auto office = TextOf(td, row, "office_id");
  if (td.name == "session") {
    const auto training_id = TextOf(td, row, "training_id");
    std::optional<Row> training;
    if (training_id) {
      LATIH_ASSIGN_OR_RETURN(training, store_.Get("training", *training_id));
    }
    RowOwners of_training;
    if (training) {
      LATIH_ASSIGN_OR_RETURN(of_training, OwnersOf(*store_.catalog().Find("training"), *training));
    } else {
      of_training.global = true;  // a training not known here: treat it as central
    }
    if (!office) return of_training;
    owners.offices.push_back(*office);
    owners.read_by_all = of_training.global;
    return owners;
  }
  if (!office) {
    owners.global = td.name == "training";  // NULL office: a global training
    return owners;
  }
  if (td.name == "attendance") {
    // The employee's office as the server knows it; the row's own office_id
    // is what its writer believed (a host desk may not know the employee).
    std::optional<std::string> home = office;
    if (const auto employee_id = TextOf(td, row, "employee_id")) {
      LATIH_ASSIGN_OR_RETURN(auto known, EmployeeOffice(*employee_id));
      if (known) home = known;
    }
    owners.offices.push_back(*home);
    if (const auto session_id = TextOf(td, row, "session_id")) {
      LATIH_ASSIGN_OR_RETURN(RowOwners host, SessionOwners(*session_id));
      for (auto& o : host.offices) {
        if (!owners.Has(o)) owners.offices.push_back(o);
      }
    }
    return owners;
  }
  if (td.name == "skp_assessment") {
    // A performance assessment belongs to the employee's office as the
    // server knows it, whatever office its writer named.
    if (const auto employee_id = TextOf(td, row, "employee_id")) {
      LATIH_ASSIGN_OR_RETURN(auto known, EmployeeOffice(*employee_id));
      if (known) {
        owners.offices.push_back(*known);
        return owners;
      }
    }
  }
  owners.offices.push_back(*office);
  return owners;
}

Status Scope::Prefetch(const TableDef& td, const std::vector<const Row*>& rows) {
  if (td.name != "attendance") return Status::Ok();
  std::vector<std::string> employees, sessions;
  for (const Row* row : rows) {
    if (auto e = TextOf(td, *row, "employee_id"); e && !employee_office_.count(*e)) employees.push_back(*e);
    if (auto s = TextOf(td, *row, "session_id"); s && !session_owners_.count(*s)) sessions.push_back(*s);
  }
  std::sort(employees.begin(), employees.end());
  employees.erase(std::unique(employees.begin(), employees.end()), employees.end());
  std::sort(sessions.begin(), sessions.end());
  sessions.erase(std::unique(sessions.begin(), sessions.end()), sessions.end());
  if (!employees.empty()) {
    const TableDef* emp = store_.catalog().Find("employee");
    LATIH_ASSIGN_OR_RETURN(auto found, store_.GetMany("employee", employees));
    for (const auto& id : employees) {
      auto it = found.find(id);
      employee_office_.emplace(id, it == found.end() ? std::nullopt : TextOf(*emp, it->second, "office_id"));
    }
  }
  if (!sessions.empty()) {
    const TableDef* ses = store_.catalog().Find("session");
    LATIH_ASSIGN_OR_RETURN(auto found, store_.GetMany("session", sessions));
    for (const auto& id : sessions) {
      RowOwners owners;  // a session not known here: no host office to add (as SessionOwners)
      if (auto it = found.find(id); it != found.end()) {
        LATIH_ASSIGN_OR_RETURN(owners, OwnersOf(*ses, it->second));
      }
      session_owners_.emplace(id, std::move(owners));
    }
  }
  return Status::Ok();
}

Result<bool> Scope::MayRead(const TableDef& td, const Row& row) {
  if (access_.all) return true;
  LATIH_ASSIGN_OR_RETURN(RowOwners owners, OwnersOf(td, row));
  return owners.global || owners.read_by_all || owners.Has(access_.office);
}

Status Scope::MayWrite(const TableDef& td, const Row* before, const Row& after) {
  if (access_.all) return Status::Ok();
  auto check = [&](const Row& row, const char* what) -> Status {
    LATIH_ASSIGN_OR_RETURN(RowOwners owners, OwnersOf(td, row));
    if (!owners.global && owners.Has(access_.office)) return Status::Ok();
    return Status::PermissionDenied("a device of office " + access_.office + " may not write " + td.name + " " +
                                    row.id + ": " + what + " " + Describe(owners));
  };
  if (before) LATIH_RETURN_IF_ERROR(check(*before, "it belongs to"));
  return check(after, "the change would make it");
}

}  // namespace latih::sync::sqlite
