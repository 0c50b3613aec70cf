#include "drivers/asic/whatsminer/v2_client.h"

#include "drivers/api/cgminer_exchange.h"
#include "drivers/api/json_reader.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/whatsminer/crypto.h"
#include "drivers/asic/whatsminer/parser.h"

namespace rigkeeper::drivers::whatsminer {

namespace {

nlohmann::json parse_reply(std::string raw) {
  while (!raw.empty() && (raw.back() == '\0' || raw.back() == '\n')) raw.pop_back();
  return read_json(raw);
}

std::string msg_text(const nlohmann::json& reply) {
  const auto st = asic::status_of(&reply);
  if (st && !st->msg.empty()) return st->msg.substr(0, 160);
  auto m = reply.find("Msg");
  if (m != reply.end() && m->is_string()) return m->get<std::string>().substr(0, 160);
  return "";
}

}  // namespace

Error v2_refusal(const nlohmann::json& reply, const std::string& cmd) {
  const auto st = asic::status_of(&reply);
  const std::string msg = msg_text(reply);
  if (says_api_disabled(msg))
    return {Errc::kAuth, cmd + ": API access disabled on the miner; enable it in the web UI"};
  const int64_t code = st && st->code ? *st->code : -1;
  if (code == 135 || code == 136 || code == 45 || msg.find("token") != std::string::npos)
    return {Errc::kAuth, cmd + ": admin password refused (" + msg + ")"};
  if (code == 14) return {Errc::kUnsupported, cmd + ": not supported by this firmware"};
  return {Errc::kDeviceError, cmd + ": firmware refused: " + msg};
}

V2Client::V2Client(asio::any_io_executor executor, std::string host, uint16_t port,
                   std::chrono::milliseconds timeout)
    : executor_(executor),
      reads_(std::move(executor), std::move(host), port, CgminerOptions{timeout}),
      timeout_(timeout) {}

Error V2Client::named(Error e) const {
  const auto where = detail::endpoint_name(reads_.host(), reads_.port());
  if (e.message.find(where) == std::string::npos) e.message = where + ": " + e.message;
  return e;
}

asio::awaitable<Result<nlohmann::json>> V2Client::privileged(const std::string& cmd,
                                                             const nlohmann::json& params,
                                                             const std::string& password) {
  auto raw = co_await reads_.request_raw("get_token");
  if (!raw) co_return tl::unexpected(named(raw.error()));
  const auto tok = parse_reply(*raw);
  if (!tok.is_object()) co_return tl::unexpected(named({Errc::kProtocol, "get_token: not JSON"}));
  if (!asic::status_ok(&tok)) co_return tl::unexpected(named(v2_refusal(tok, "get_token")));
  const auto* m = asic::member(tok, "Msg");
  auto field = [&](const char* k) { return asic::string_at(m, k).value_or(""); };
  const std::string salt = field("salt");
  const std::string newsalt = field("newsalt");
  const std::string when = field("time");
  if (salt.empty() || newsalt.empty() || when.empty())
    co_return tl::unexpected(named({Errc::kProtocol, "get_token: salt, newsalt or time missing"}));
  const V2Token token = derive_v2_token(password, salt, newsalt, when);

  nlohmann::json body = {{"cmd", cmd}};
  if (params.is_object())
    for (const auto& [k, v] : params.items()) body[k] = v;
  body["token"] = token.sign;
  CgminerOptions opts{timeout_};
  auto reply_raw = co_await detail::cgminer_exchange(executor_, reads_.host(), reads_.port(),
                                                     seal_v2_command(token, body.dump()), opts);
  if (!reply_raw) co_return tl::unexpected(named(reply_raw.error()));
  auto reply = parse_reply(*reply_raw);
  if (!reply.is_object())
    co_return tl::unexpected(named({Errc::kProtocol, cmd + ": reply is not JSON"}));
  if (auto enc = reply.find("enc"); enc != reply.end() && enc->is_string()) {
    auto plain = open_v2_payload(token.aes_key, enc->get<std::string>());
    auto inner = plain ? read_json(*plain) : nlohmann::json();
    if (!inner.is_object())
      co_return tl::unexpected(
          named({Errc::kAuth, cmd + ": reply does not decrypt with the admin password"}));
    reply = std::move(inner);
  }
  if (!asic::status_ok(&reply)) co_return tl::unexpected(named(v2_refusal(reply, cmd)));
  co_return reply;
}

}  // namespace rigkeeper::drivers::whatsminer
