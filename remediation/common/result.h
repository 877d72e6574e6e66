#pragma once
// Expected failures as values: an Error says what was attempted, on which object, and why
// (the OS or library text). Exceptions are kept for broken invariants.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace rdpmend {

struct Error {
  std::string what;    // what was attempted, e.g. "parse event XML"
  std::string object;  // which object, e.g. a file path or channel name
  std::string detail;  // why: OS error text, parser message, ...

  std::string message() const;
};

// E is the failure type: Error by default; a module with typed failures (security::Refused) names its own.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}
  Result(E error) : state_(std::move(error)) {}

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  const E& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }

 private:
  std::variant<T, E> state_;
};

struct Ok {};
using Status = Result<Ok>;

}  // namespace rdpmend
