#include "agent/cli/command.h"

#include <iostream>

#include "agent/cli/output.h"

namespace rigkeeper::cli {

int report(std::string_view context, const Error& err) {
  // Messages may quote device or daemon text: keep them to one printable line.
  std::cerr << "rigkeeper: " << sanitize(context) << ": " << sanitize(err.message, 2000) << '\n';
  return exit_code(err.code);
}

}  // namespace rigkeeper::cli
