#include "tests/unit/asic/asic_test_util.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "drivers/api/json_repair.h"
#include "tests/support/fake_cgminer_server.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::test {

nlohmann::json load_json(const std::string& relative) {
  auto parsed = drivers::parse_cgminer_json(read_fixture(relative));
  if (!parsed) {
    ADD_FAILURE() << relative << ": " << parsed.error().message;
    return nlohmann::json::object();
  }
  return *parsed;
}

drivers::asic::Replies load_replies(const std::vector<std::pair<std::string, std::string>>& files) {
  drivers::asic::Replies out;
  for (const auto& [cmd, file] : files) out[cmd] = load_json(file);
  return out;
}

drivers::asic::Replies load_dir(const std::string& dir, const std::vector<std::string>& cmds) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& c : cmds) files.emplace_back(c, dir + "/" + c + ".json");
  return load_replies(files);
}

nlohmann::json reply_with(const std::string& section, nlohmann::json entries,
                          const std::string& description) {
  return {{"STATUS",
           {{{"STATUS", "S"},
             {"When", 1700000000},
             {"Code", 1},
             {"Msg", section},
             {"Description", description}}}},
          {section, std::move(entries)},
          {"id", 1}};
}

drivers::asic::Replies braiins_replies() {
  using nlohmann::json;
  auto r = load_replies({{"version", "asic/braiins/cgminer_api_version_boser.json"},
                         {"fans", "asic/braiins/cgminer_api_fans_boser.json"}});
  r["summary"] = reply_with("SUMMARY", {{{"Elapsed", 7200},
                                         {"MHS 1m", 104000000.0},
                                         {"MHS 5s", 105000000.0},
                                         {"MHS av", 103000000.0},
                                         {"Hardware Errors", 12}}});
  json devs = json::array(), details = json::array(), temps = json::array();
  const double rates[] = {35000000.0, 34000000.0, 36000000.0};
  const int chips[] = {114, 114, 110};
  for (int i = 0; i < 3; ++i) {
    devs.push_back({{"ID", i + 1},
                    {"Enabled", "Y"},
                    {"Status", "Alive"},
                    {"MHS 5s", rates[i]},
                    {"MHS 1m", rates[i]},
                    {"Nominal MHS", 36666666.0},
                    {"Hardware Errors", i}});
    details.push_back({{"ID", i + 1}, {"Chips", chips[i]}, {"Model", "Bitmain Antminer S19 Pro"}});
    temps.push_back({{"ID", i + 1}, {"Board", 55.0 + i}, {"Chip", 70.0 + i}});
  }
  r["devs"] = reply_with("DEVS", devs);
  r["devdetails"] = reply_with("DEVDETAILS", details);
  r["temps"] = reply_with("TEMPS", temps);
  r["tunerstatus"] =
      reply_with("TUNERSTATUS",
                 {{{"PowerLimit", 3250},
                   {"ApproximateMinerPowerConsumption", 3180},
                   {"TunerChainStatus",
                    {{{"HashchainIndex", 0}, {"Status", "Stable"}},
                     {{"HashchainIndex", 1}, {"Status", "Tuning individual chips"}},
                     {{"HashchainIndex", 2}, {"Status", "Chip count mismatch {found: 110}"}}}}}});
  r["pools"] = reply_with("POOLS", {{{"POOL", 0},
                                     {"URL", "stratum+tcp://eu.stratum.braiins.com:3333"},
                                     {"User", "farm.w1"},
                                     {"Status", "Alive"},
                                     {"Priority", 0},
                                     {"Stratum Active", true}}});
  return r;
}

void ReplyBook::set(const std::string& cmd, const nlohmann::json& j) {
  std::lock_guard<std::mutex> lock(mu);
  replies[cmd] = j.dump();
}

std::function<std::string(const std::string&, const std::string&)> book_handler(
    std::shared_ptr<ReplyBook> book) {
  return [book](const std::string& command, const std::string&) -> std::string {
    std::lock_guard<std::mutex> lock(book->mu);
    if (command.find('+') == std::string::npos) {
      auto it = book->replies.find(command);
      return it != book->replies.end() ? it->second : FakeCgminerServer::invalid_command_reply();
    }
    std::string out = "{";
    size_t start = 0;
    while (start <= command.size()) {
      const size_t plus = std::min(command.find('+', start), command.size());
      const std::string c = command.substr(start, plus - start);
      auto it = book->replies.find(c);
      const std::string body =
          it != book->replies.end() ? it->second : FakeCgminerServer::invalid_command_reply();
      out += "\"" + c + "\":[" + body + "],";
      start = plus + 1;
    }
    return out + "\"id\":1}";
  };
}

std::vector<std::string> commands_of(const std::vector<std::string>& raw_requests) {
  std::vector<std::string> out;
  for (const auto& raw : raw_requests) {
    auto j = nlohmann::json::parse(raw, nullptr, false);
    out.push_back(j.is_object() && j.contains("command") && j["command"].is_string()
                      ? j["command"].get<std::string>()
                      : raw);
  }
  return out;
}

}  // namespace rigkeeper::test
