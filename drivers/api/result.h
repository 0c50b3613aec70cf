#pragma once
/// Errors as values at every boundary: drivers, store, MQTT link, config and CLI.
/// The same small set of codes becomes the CLI's exit codes and the acks' reasons.
#include <string>
#include <string_view>
#include <utility>

#include <tl/expected.hpp>

namespace rigkeeper {

/// What went wrong, in the categories callers act on. Documented in docs/ERRORS.md.
enum class Errc {
  kInvalidArgument,  ///< bad usage or parameter (exit 1)
  kConfig,           ///< configuration file or flags invalid (exit 1)
  kUnreachable,      ///< connection refused, no route, name not resolved (exit 2)
  kTimeout,          ///< the deadline passed before the device answered (exit 2)
  kProtocol,         ///< the device answered something we cannot read: garbage, oversize (exit 2)
  kUnsupported,      ///< device not recognised, or the operation is not supported (exit 3)
  kAuth,             ///< credentials refused or API access denied (exit 5)
  kDeviceError,      ///< the device understood and refused or failed the request (exit 5)
  kStorage,          ///< local storage (SQLite, files) failed (exit 5)
  kInternal,         ///< a bug or an unexpected library failure (exit 5)
};

/// An error code and a message that names the device or file and the problem.
struct Error {
  Errc code;
  std::string message;
};

template <class T>
using Result = tl::expected<T, Error>;

/// Builds the error side of a Result: `return fail(Errc::kTimeout, "no reply in 3 s");`
inline tl::unexpected<Error> fail(Errc code, std::string message) {
  return tl::unexpected<Error>(Error{code, std::move(message)});
}

/// Stable lower_snake name of a code ("timeout", "unreachable", ...), used in logs and acks.
std::string_view to_string(Errc code);

/// The contract's CLI exit code for an error of this kind.
int exit_code(Errc code);

}  // namespace rigkeeper
