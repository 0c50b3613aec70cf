#include "drivers/api/result.h"

namespace rigkeeper {

std::string_view to_string(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
      return "invalid_argument";
    case Errc::kConfig:
      return "config";
    case Errc::kUnreachable:
      return "unreachable";
    case Errc::kTimeout:
      return "timeout";
    case Errc::kProtocol:
      return "protocol";
    case Errc::kUnsupported:
      return "unsupported";
    case Errc::kAuth:
      return "auth";
    case Errc::kDeviceError:
      return "device_error";
    case Errc::kStorage:
      return "storage";
    case Errc::kInternal:
      return "internal";
  }
  return "internal";
}

int exit_code(Errc code) {
  switch (code) {
    case Errc::kInvalidArgument:
    case Errc::kConfig:
      return 1;
    case Errc::kUnreachable:
    case Errc::kTimeout:
    case Errc::kProtocol:
      return 2;
    case Errc::kUnsupported:
      return 3;
    case Errc::kAuth:
    case Errc::kDeviceError:
    case Errc::kStorage:
    case Errc::kInternal:
      return 5;
  }
  return 5;
}

}  // namespace rigkeeper
