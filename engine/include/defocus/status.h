// Errors as values: every fallible engine call returns a Status or a Result<T>
// carrying a machine-readable code and a one-line, human-readable reason.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace defocus {

enum class ErrorCode {
  kOk = 0,
  kEmptyInput,       // zero bytes
  kNotAnImage,       // no known image signature
  kUnsupported,      // a real image format the engine does not decode (WebP, HEIC, ...)
  kTruncated,        // the file ends before the image data does
  kCorrupt,          // the data is damaged or inconsistent
  kTooLarge,         // dimensions exceed the configured pixel limit
  kOutOfMemory,      // an allocation failed
  kInvalidArgument,  // a parameter is out of range or buffers do not match
};

// Stable snake_case name of a code, e.g. "too_large"; JS and CLI report it.
const char* errorCodeName(ErrorCode code);

class Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string reason) : code_(code), reason_(std::move(reason)) {}
  static Status success() { return Status(); }

  bool ok() const { return code_ == ErrorCode::kOk; }
  ErrorCode code() const { return code_; }
  const std::string& reason() const { return reason_; }

 private:
  ErrorCode code_ = ErrorCode::kOk;
  std::string reason_;
};

// A value or the Status explaining why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: must be an error

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T&& take() { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_;
};

// The two errors most calls can return, with their reason: invalidArgument("radius must be
// in 0..4000 pixels"), outOfMemory("for the lens blur") -> "out of memory for the lens blur".
inline Status invalidArgument(std::string reason) { return {ErrorCode::kInvalidArgument, std::move(reason)}; }
inline Status outOfMemory(const std::string& doingWhat) { return {ErrorCode::kOutOfMemory, "out of memory " + doingWhat}; }

}  // namespace defocus
