// The one error vocabulary of latih: Status (a code plus a message) and
// Result<T> (a value or a non-OK Status). Used by every module; exceptions
// never cross a sync/ header. Both types are plain values: thread-compatible.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace latih {

// Small and closed on purpose. Add a code only when a caller must act on it
// differently from every existing one.
enum class StatusCode {
  kOk = 0,
  kNotFound,          // an id, NIP, office or file that does not exist
  kInvalidArgument,   // input that breaks a rule; the message names field and value
  kCorruption,        // stored data that breaks an invariant
  kIOError,           // the OS or SQLite failed to read or write
  kUnavailable,       // a transient failure (network, busy database): retry
  kUnauthenticated,   // missing, wrong or revoked credentials
  kPermissionDenied,  // authenticated, but not allowed to touch this data
  kSchemaTooNew,      // a database written by a newer latih
  kProtocolMismatch,  // the peer speaks a protocol version we do not
};

// Returns the stable lower-case name of `code` ("not_found", ...), used in
// logs and JSON error bodies.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status Invalid(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status Unauthenticated(std::string m) { return {StatusCode::kUnauthenticated, std::move(m)}; }
  static Status PermissionDenied(std::string m) { return {StatusCode::kPermissionDenied, std::move(m)}; }
  static Status SchemaTooNew(std::string m) { return {StatusCode::kSchemaTooNew, std::move(m)}; }
  static Status ProtocolMismatch(std::string m) { return {StatusCode::kProtocolMismatch, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // True only for failures that may succeed if the same call is repeated.
  bool IsRetryable() const { return code_ == StatusCode::kUnavailable; }
  // "not_found: employee 1980... is not registered" (or "ok").
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` and ": ".
  Status WithContext(std::string_view context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "a Result holding a Status must be an error");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok().
  T& value() & { assert(ok()); return *value_; }
  const T& value() const& { assert(ok()); return *value_; }
  T&& value() && { assert(ok()); return std::move(*value_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace latih

// Returns the Status of `expr` from the enclosing function if it is not OK.
#define LATIH_RETURN_IF_ERROR(expr)            \
  do {                                         \
    ::latih::Status latih_status_ = (expr);    \
    if (!latih_status_.ok()) return latih_status_; \
  } while (0)

#define LATIH_CONCAT_INNER(a, b) a##b
#define LATIH_CONCAT(a, b) LATIH_CONCAT_INNER(a, b)
// Declares `lhs` from the value of the Result `rexpr`, or returns its Status.
#define LATIH_ASSIGN_OR_RETURN(lhs, rexpr) \
  LATIH_ASSIGN_OR_RETURN_IMPL(LATIH_CONCAT(latih_result_, __LINE__), lhs, rexpr)
#define LATIH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
