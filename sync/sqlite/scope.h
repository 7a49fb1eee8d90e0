// Office scoping (sync/PROTOCOL.md §9): which rows a device may read and
// write. A device is enrolled for one office; central HR and admins act on
// every office. The owner of a row follows from its own values:
//   office                     reference data: every device reads it, only HR writes it
//   training                   office_id; NULL: global (BKPSDM), read by all, written by HR
//   session                    office_id (the host); NULL: the training's owner.
//                              A session of a global training is read by
//                              every office (its staff attend it too)
//   employee, evaluation,
//   skm_response               office_id
//   attendance                 the employee's office (as the employee row
//                              here says; else the row's office_id) AND the
//                              session's host office: both may record it
// A device reads a row it owns and every global row; it writes a row only
// if it owns it both as stored and as the change would leave it (nobody
// moves a row out of, or into, another office). Not thread-safe: one per
// request (it caches session owners).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sync/sqlite/store.h"
#include "sync/tables.h"

namespace latih::sync::sqlite {

// Who is asking.
struct Access {
  bool all = false;     // central HR / admin: every office
  std::string office;   // the device's office (when !all)
  static Access All() { return Access{true, ""}; }
  static Access Office(std::string office) { return Access{false, std::move(office)}; }
};

// The offices that own a row; empty `offices` with global = true for
// reference data and global trainings.
struct RowOwners {
  bool global = false;          // central data: read by all, written by HR only
  bool read_by_all = false;     // hosted by `offices`, but every office reads it
  std::vector<std::string> offices;
  bool Has(const std::string& office) const;
};

class Scope {
 public:
  // `store` must outlive this object.
  Scope(Store& store, Access access) : store_(store), access_(std::move(access)) {}

  const Access& access() const { return access_; }

  // The owners of `row` of table `td` (its stored values).
  Result<RowOwners> OwnersOf(const TableDef& td, const Row& row);

  // Reads at once what OwnersOf will need for `rows` of `td` (the offices
  // of attendance rows' employees, their sessions' owners), so that a page
  // of a pull costs a few queries, not a few per row.
  Status Prefetch(const TableDef& td, const std::vector<const Row*>& rows);

  // True when the accessor may read the row.
  Result<bool> MayRead(const TableDef& td, const Row& row);

  // OK when the accessor may write the change that takes the row from
  // `before` (nullptr: not known here) to `after`; kPermissionDenied with a
  // reason naming the office otherwise.
  Status MayWrite(const TableDef& td, const Row* before, const Row& after);

 private:
  Result<RowOwners> SessionOwners(const std::string& session_id);
  Result<std::optional<std::string>> EmployeeOffice(const std::string& employee_id);

  Store& store_;
  Access access_;
  std::map<std::string, RowOwners> session_owners_;  // session id -> owners
  std::map<std::string, std::optional<std::string>> employee_office_;
};

}  // namespace latih::sync::sqlite
