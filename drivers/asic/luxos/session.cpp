#include "drivers/asic/luxos/session.h"

#include <cctype>

#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/luxos/control.h"

namespace rigkeeper::drivers::luxos {

namespace {

constexpr size_t kMaxSessionIdBytes = 128;

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// SESSION[0].SessionID when it is a plausible token, else "".
std::string session_id_of(const nlohmann::json& reply) {
  auto id = asic::string_at(asic::first_entry(&reply, "SESSION"), "SessionID");
  if (!id || id->size() > kMaxSessionIdBytes) return {};
  for (char c : *id)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') return {};
  return *id;
}

bool is_session_active_error(const Error& e) {
  const auto m = lower(e.message);
  return m.find("code 402") != std::string::npos || m.find("another session") != std::string::npos;
}

}  // namespace

bool is_session_error(const Error& e) {
  if (e.code != Errc::kDeviceError && e.code != Errc::kAuth) return false;
  return lower(e.message).find("session") != std::string::npos;
}

asio::awaitable<Result<std::string>> Session::acquire() {
  if (!id_.empty()) co_return id_;
  // Two rounds: a session that ends between our failed logon and `session` is opened again.
  for (int round = 0; round < 2; ++round) {
    auto logon = co_await client_.command("logon");
    if (logon) {
      id_ = session_id_of(*logon);
      if (!id_.empty()) co_return id_;
      co_return fail(Errc::kAuth, "LuxOS logon returned no session id");
    }
    if (!is_session_active_error(logon.error())) {
      if (logon.error().code == Errc::kDeviceError || logon.error().code == Errc::kAuth)
        co_return fail(Errc::kAuth, "LuxOS refused the session: " + logon.error().message);
      co_return tl::unexpected(logon.error());
    }
    auto live = co_await client_.command("session");
    if (!live) co_return tl::unexpected(live.error());
    id_ = session_id_of(*live);
    if (!id_.empty()) co_return id_;
  }
  co_return fail(Errc::kAuth,
                 "LuxOS refused the session: another session is active and its id is not shared");
}

asio::awaitable<Result<nlohmann::json>> Session::privileged(std::string_view command,
                                                            std::vector<std::string> args) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto sid = co_await acquire();
    if (!sid) co_return tl::unexpected(sid.error());
    auto param = privileged_parameter(*sid, args);
    if (!param) co_return tl::unexpected(param.error());
    auto reply = co_await client_.command(command, *param);
    if (reply || !is_session_error(reply.error())) co_return reply;
    forget();  // timed out, rebooted or logged off elsewhere: a fresh session, once
    if (attempt == 1)
      co_return fail(Errc::kAuth, "LuxOS refused a fresh session: " + reply.error().message);
  }
  co_return fail(Errc::kInternal, "unreachable");
}

}  // namespace rigkeeper::drivers::luxos
