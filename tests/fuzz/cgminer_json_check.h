#pragma once
/// The one fuzzing entry point for the cgminer-API JSON path, shared by the libFuzzer target
/// and fuzz_replay_test: runs bytes through parse_cgminer_json, repair_cgminer_json and
/// check_cgminer_status and checks the invariants that must hold for any input.
#include <string>
#include <string_view>

namespace rigkeeper::test {

/// "" if every invariant held for `bytes`, else a description of the one that broke:
/// - parsing gives a value or an Errc::kProtocol error with a non-empty, printable message;
/// - strictly valid JSON (nesting <= 64) always parses, to what nlohmann reads from it;
/// - repair_cgminer_json's text parses strictly, to the same value parse_cgminer_json gave;
/// - check_cgminer_status on any parsed value returns a Result (never throws);
/// - the parsed value can be serialised again;
/// - read_json (the web-API path) gives what nlohmann's parse gives, nesting over 64 refused.
std::string check_cgminer_json_input(std::string_view bytes);

}  // namespace rigkeeper::test
