// libFuzzer target (clang only): ./fuzz_cgminer_json -max_len=65536 CORPUS_DIR
// Seed it with ../shared/fixtures/asic; any invariant broken aborts with its description.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tests/fuzz/cgminer_json_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string problem = rigkeeper::test::check_cgminer_json_input(
      std::string_view(reinterpret_cast<const char*>(data), size));
  if (!problem.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", problem.c_str());
    std::abort();
  }
  return 0;
}
