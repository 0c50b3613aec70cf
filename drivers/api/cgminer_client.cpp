#include "drivers/api/cgminer_client.h"

#include <algorithm>
#include <exception>
#include <utility>

#include "drivers/api/cgminer_exchange.h"
#include "drivers/api/json_repair.h"

namespace rigkeeper::drivers {

using nlohmann::json;

namespace {

std::string build_request(std::string_view cmd, std::string_view param) {
  json j = {{"command", cmd}};
  if (!param.empty()) j["parameter"] = param;
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

/// cgminer answers `restart` and `quit` with a bare word instead of JSON: that word, or "".
std::string_view bare_word_reply(std::string_view raw) {
  while (!raw.empty() && (raw.back() == '\0' || raw.back() == '\n' || raw.back() == ' '))
    raw.remove_suffix(1);
  if (raw.size() >= 2 && raw.front() == '"' && raw.back() == '"')
    raw = raw.substr(1, raw.size() - 2);
  return raw == "RESTART" || raw == "BYE" ? raw : std::string_view();
}

Error prefixed(const Error& e, const std::string& prefix) { return {e.code, prefix + e.message}; }

/// One error out of several, keeping the first one's code.
Error combine(std::vector<Error> errors) {
  if (errors.size() == 1) return std::move(errors.front());
  std::string text = "every command failed: ";
  for (std::size_t i = 0; i < errors.size(); ++i) text += (i ? "; " : "") + errors[i].message;
  return {errors.front().code, std::move(text)};
}

/// True if a `+` reply answers at least one of the commands under its own name. Firmware that
/// does not do multi-commands answers with one top-level STATUS (E, code 14) instead.
bool is_multi_reply(const json& j, const std::vector<std::string>& cmds) {
  return j.is_object() &&
         std::any_of(cmds.begin(), cmds.end(), [&](const std::string& c) { return j.contains(c); });
}

/// `{"summary":[{STATUS,SUMMARY,id}]}` (real firmware) or `{"summary":{...}}` (API-README):
/// either way the single-command object, moved out of the multi reply.
Result<json> unwrap_section(json& multi, const std::string& cmd) {
  auto it = multi.find(cmd);
  if (it == multi.end()) return fail(Errc::kProtocol, "'" + cmd + "' is missing from the reply");
  json section = std::move(*it);
  if (section.is_array() && !section.empty()) {
    json first = std::move(section[0]);
    section = std::move(first);
  }
  if (!section.is_object()) return fail(Errc::kProtocol, "'" + cmd + "' section is not an object");
  return section;
}

}  // namespace

CgminerClient::CgminerClient(asio::any_io_executor executor, std::string host, uint16_t port,
                             CgminerOptions options)
    : executor_(std::move(executor)), host_(std::move(host)), port_(port), options_(options) {}

asio::awaitable<Result<std::string>> CgminerClient::request_raw(std::string_view cmd,
                                                                std::string_view param) {
  try {
    auto reply = co_await detail::cgminer_exchange(executor_, host_, port_,
                                                   build_request(cmd, param), options_);
    if (reply) reply->erase(reply->find_last_not_of('\0') + 1);  // cgminer's terminator(s)
    co_return reply;
  } catch (const boost::system::system_error& e) {
    co_return fail(Errc::kUnreachable, detail::endpoint_name(host_, port_) + ": " + e.what());
  } catch (const std::exception& e) {
    co_return fail(Errc::kInternal,
                   detail::endpoint_name(host_, port_) + ": request failed: " + e.what());
  }
}

asio::awaitable<Result<json>> CgminerClient::command(std::string_view cmd, std::string_view param) {
  auto raw = co_await request_raw(cmd, param);
  if (!raw) co_return tl::unexpected(raw.error());
  // Names are built only for an error: an IPv4 host:port is past std::string's inline 15 bytes.
  auto prefix = [&] { return detail::endpoint_name(host_, port_) + " " + std::string(cmd) + ": "; };
  if (auto word = bare_word_reply(*raw); !word.empty()) co_return json(word);
  auto parsed = parse_cgminer_json(*raw);
  if (!parsed) co_return tl::unexpected(prefixed(parsed.error(), prefix()));
  if (auto status = check_cgminer_status(*parsed); !status)
    co_return tl::unexpected(prefixed(status.error(), prefix()));
  co_return std::move(*parsed);
}

asio::awaitable<Result<std::map<std::string, json>>> CgminerClient::commands(
    const std::vector<std::string>& cmds) {
  auto where = [&] { return detail::endpoint_name(host_, port_); };
  std::vector<std::string> unique;  // cgminer collapses duplicates too
  for (const auto& c : cmds) {
    if (c.empty() || c.find('+') != std::string::npos)
      co_return fail(Errc::kInvalidArgument, "'" + c + "' is not a single report command");
    if (std::find(unique.begin(), unique.end(), c) == unique.end()) unique.push_back(c);
  }
  std::map<std::string, json> out;
  std::vector<Error> errors;
  if (unique.size() > 1 && multi_ok_) {
    std::string joined;
    for (const auto& c : unique) joined += (joined.empty() ? "" : "+") + c;
    auto raw = co_await request_raw(joined);
    if (!raw) co_return tl::unexpected(raw.error());  // the device is down: no fallback storm
    auto parsed = parse_cgminer_json(*raw);
    if (!parsed) co_return tl::unexpected(prefixed(parsed.error(), where() + " " + joined + ": "));
    if (is_multi_reply(*parsed, unique)) {
      for (const auto& c : unique) {
        auto section = unwrap_section(*parsed, c);
        if (section) {
          if (auto st = check_cgminer_status(*section); !st) section = tl::unexpected(st.error());
        }
        if (section)
          out.emplace(c, std::move(*section));
        else
          errors.push_back(prefixed(section.error(), where() + " " + c + ": "));
      }
      if (out.empty()) co_return tl::unexpected(combine(std::move(errors)));
      co_return out;
    }
    multi_ok_ = false;  // e.g. S19 stock: STATUS E code 14; remembered for this client
  }
  for (const auto& c : unique) {
    auto r = co_await command(c);
    if (r) {
      out.emplace(c, std::move(*r));
      continue;
    }
    errors.push_back(r.error());
    // Unreachable or silent: the next command would only wait out another deadline.
    if (r.error().code == Errc::kTimeout || r.error().code == Errc::kUnreachable) break;
  }
  if (out.empty() && !errors.empty()) co_return tl::unexpected(combine(std::move(errors)));
  co_return out;
}

}  // namespace rigkeeper::drivers
