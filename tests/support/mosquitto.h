#pragma once
/// A real Mosquitto broker on a free loopback port, for tests that need a broker. Started with
/// a generated config (no persistence, verbose log to a file), stoppable and restartable on
/// the same port (broker outages), optionally with a TLS listener.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/temp_dir.h"

namespace rigkeeper::test {

struct MosquittoTls {
  std::filesystem::path ca_file;
  std::filesystem::path cert_file;
  std::filesystem::path key_file;
  bool require_client_cert = false;
};

/// A throwaway CA plus server and client certificates made with the openssl CLI.
struct TestPki {
  explicit TestPki(const std::filesystem::path& dir);
  std::filesystem::path ca_cert, ca_key, server_cert, server_key, client_cert, client_key;
  /// A second CA that signed nothing we trust (for "wrong CA" tests).
  std::filesystem::path other_ca_cert;
};

class Mosquitto {
 public:
  explicit Mosquitto(std::optional<MosquittoTls> tls = std::nullopt);
  ~Mosquitto();

  /// Starts (or restarts) on the same port; returns false if it did not come up.
  bool start();
  /// SIGTERM and wait.
  void stop();
  /// SIGKILL (abrupt outage).
  void kill();
  bool running();

  uint16_t port() const { return port_; }
  std::string url() const;  ///< tcp://127.0.0.1:PORT or ssl://127.0.0.1:PORT
  std::string log() const;

  /// Runs mosquitto_sub against this broker: collects messages on `topic` (with -v so each line
  /// is "topic payload") until `count` arrived or `timeout` passed.
  std::vector<std::string> subscribe_collect(const std::string& topic, int count,
                                             std::chrono::milliseconds timeout,
                                             bool retained_only = false) const;
  /// mosquitto_pub one message.
  int publish(const std::string& topic, const std::string& payload, int qos = 1, bool retain = false) const;

 private:
  TempDir dir_;
  uint16_t port_;
  std::optional<MosquittoTls> tls_;
  std::unique_ptr<Process> proc_;
};

/// A background mosquitto_sub that records every message ("topic payload" lines) to a file
/// for the lifetime of the object; survives nothing (restart it after a broker outage) unless
/// started with reconnecting = true (it then retries until stopped).
class Subscriber {
 public:
  Subscriber(const Mosquitto& broker, const std::string& topic, bool reconnecting = true);
  ~Subscriber();
  std::vector<std::string> lines() const;

 private:
  TempDir dir_;
  std::unique_ptr<Process> proc_;
  std::filesystem::path out_;
};

}  // namespace rigkeeper::test
