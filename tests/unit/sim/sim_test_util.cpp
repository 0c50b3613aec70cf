#include "tests/unit/sim/sim_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include <gtest/gtest.h>

#include "drivers/sim/cgminer_dispatch.h"
#include "tests/support/fixtures.h"

namespace rigkeeper::drivers::sim::test {

DeviceIdentity identity_of(Family family, std::string_view model, uint64_t seed) {
  for (int i = 0; i < 64; ++i) {
    auto id = make_identity(i, seed);
    if (id.family == family && id.model->name == model) return id;
  }
  ADD_FAILURE() << "no " << driver_name(family) << " device plays " << model;
  return make_identity(0, seed);
}

SimTime t0() { return SimTime(std::chrono::hours(24 * 365)); }

DeviceReading reading_of(AsicDevice& device, std::chrono::seconds after,
                         const HealthEffects& effects) {
  return device.read(t0() + after, 1'760'000'000 + after.count(), effects);
}

nlohmann::ordered_json reply_of(Family family, std::string_view command, const DeviceReading& r,
                                std::string_view parameter) {
  nlohmann::ordered_json req = {{"command", command}};
  if (!parameter.empty()) req["parameter"] = parameter;
  const std::string wire = answer(req.dump(), r, responder_for(family));
  EXPECT_FALSE(wire.empty());
  EXPECT_EQ(wire.back(), '\0');
  return nlohmann::ordered_json::parse(wire.substr(0, wire.size() - 1));
}

std::set<std::string> key_set(const nlohmann::ordered_json& object) {
  std::set<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it) out.insert(it.key());
  return out;
}

std::vector<std::string> key_list(const nlohmann::ordered_json& object) {
  std::vector<std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it) out.push_back(it.key());
  return out;
}

nlohmann::ordered_json fixture_json(const std::string& relative) {
  return nlohmann::ordered_json::parse(rigkeeper::test::read_fixture(relative));
}

Exchange tcp_exchange(const std::string& host, uint16_t port, std::string_view payload,
                      std::chrono::milliseconds timeout) {
  Exchange e;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    e.ending = errno == ECONNREFUSED ? Ending::kRefused : Ending::kError;
    ::close(fd);
    return e;
  }
  (void)!::send(fd, payload.data(), payload.size(), MSG_NOSIGNAL);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      e.ending = Ending::kTimeout;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      e.bytes.append(buf, static_cast<size_t>(n));
      continue;
    }
    e.ending = n == 0 ? Ending::kEof : (errno == ECONNRESET ? Ending::kReset : Ending::kError);
    break;
  }
  ::close(fd);
  return e;
}

nlohmann::ordered_json parse_reply(const Exchange& e) {
  EXPECT_EQ(e.ending, Ending::kEof);
  if (e.bytes.empty() || e.bytes.back() != '\0') {
    ADD_FAILURE() << "reply without trailing NUL: " << e.bytes.substr(0, 200);
    return {};
  }
  auto j = nlohmann::ordered_json::parse(e.bytes.substr(0, e.bytes.size() - 1), nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << e.bytes.substr(0, 200);
  return j;
}

}  // namespace rigkeeper::drivers::sim::test
