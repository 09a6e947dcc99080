// Result<T, E>: the value of an operation that can fail in an expected way.
// Failures are values, not exceptions (style.md point 5): a caller checks `ok()`
// and reads `value()` or `error()`. Reading the wrong side is a programming error
// and asserts. Exceptions from libraries are caught at Heed's edges and turned
// into an Error here.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace heed {

// The kinds of failure a caller may act on differently.
enum class Errc {
  invalid,         // the input broke a rule; message says which
  not_found,       // the thing asked for does not exist
  io,              // the operating system or SQLite could not read or write
  corrupt,         // a database or file is damaged; nothing was changed
  schema_too_new,  // a database was written by a newer Heed
  conflict,        // the same id already holds different content, or the state does not allow it
  forbidden,       // the caller may not do this (role or scope)
  busy,            // another process holds a lock for too long
  internal,        // a bug: an invariant did not hold
};

struct Error {
  Errc code = Errc::internal;
  std::string message;  // for a person: what failed and, where known, what to do
};

// One problem with one field of a record or a config file.
struct FieldError {
  std::string field;    // dotted path, e.g. "contact.email" or "idle.reset_after_s"
  std::string code;     // stable key for translation, e.g. "email_invalid"
  std::string message;  // English text for logs, tools and API responses
  bool operator==(const FieldError&) const = default;
};
using FieldErrors = std::vector<FieldError>;

template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok() && "value() of a failed Result");
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok() && "value() of a failed Result");
    return std::get<0>(state_);
  }
  // By value, so `for (auto& x : f().value())` owns what it iterates.
  T value() && {
    assert(ok() && "value() of a failed Result");
    return std::get<0>(std::move(state_));
  }
  const E& error() const {
    assert(!ok() && "error() of a successful Result");
    return std::get<1>(state_);
  }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }

 private:
  std::variant<T, E> state_;
};

// Result<void>: success carries nothing.
struct Ok {};
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  Result(Ok) {}                                                 // NOLINT: implicit by design
  Result(E error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const E& error() const {
    assert(failed_ && "error() of a successful Result");
    return error_;
  }

 private:
  E error_{};
  bool failed_ = false;
};

inline Error make_error(Errc code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace heed
