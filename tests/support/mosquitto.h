#pragma once
/// A real Mosquitto broker on a free loopback port, for tests that need a broker. Started with
/// a generated config in its own temp dir (persistence on, so durable sessions survive a
/// restart; every message queued for offline sessions; a verbose log to a file), stoppable and
/// restartable on the same port (broker outages), optionally with a TLS listener.
/// Also: a throwaway PKI (openssl CLI) and mosquitto_sub/mosquitto_pub helpers.
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
  std::filesystem::path ca_file;    ///< CA that signed the client certs (and trusted by tools)
  std::filesystem::path cert_file;  ///< server certificate
  std::filesystem::path key_file;   ///< server key
  bool require_client_cert = false;
  /// Client certificate used by subscribe_collect/publish/Subscriber when the broker requires
  /// one (leave empty otherwise).
  std::filesystem::path client_cert_file;
  std::filesystem::path client_key_file;
};

/// A throwaway CA plus server (CN and SAN 127.0.0.1, localhost) and client certificates made
/// with the openssl CLI (EC P-256, valid 2 days). Throws std::runtime_error if openssl fails.
struct TestPki {
  explicit TestPki(const std::filesystem::path& dir);
  std::filesystem::path ca_cert, ca_key, server_cert, server_key, client_cert, client_key;
  /// A second CA that signed nothing we trust (for "wrong CA" tests).
  std::filesystem::path other_ca_cert;
  /// The TLS settings of a broker using this PKI.
  MosquittoTls broker_tls(bool require_client_cert) const;
};

class Mosquitto {
 public:
  explicit Mosquitto(std::optional<MosquittoTls> tls = std::nullopt);
  ~Mosquitto();
  Mosquitto(const Mosquitto&) = delete;
  Mosquitto& operator=(const Mosquitto&) = delete;

  /// Starts (or restarts) on the same port; returns false if it did not come up in 10 s.
  bool start();
  /// SIGTERM and wait (the broker saves its persistence file).
  void stop();
  /// SIGKILL (abrupt outage; state since the last 1 s autosave is lost).
  void kill();
  bool running();

  uint16_t port() const { return port_; }
  std::string url() const;  ///< tcp://127.0.0.1:PORT or ssl://127.0.0.1:PORT
  std::string log() const;  ///< the broker's log file (log_type all)

  /// Runs mosquitto_sub against this broker: collects messages on `topic` (with -v so each line
  /// is "topic payload") until `count` arrived or `timeout` (rounded up to whole seconds)
  /// passed.
  std::vector<std::string> subscribe_collect(const std::string& topic, int count,
                                             std::chrono::milliseconds timeout,
                                             bool retained_only = false) const;
  /// mosquitto_pub one message; `extra_args` go before the message (for example
  /// {"-V", "mqttv5", "-D", "publish", "response-topic", "a/b"}). Returns the exit code.
  int publish(const std::string& topic, const std::string& payload, int qos = 1,
              bool retain = false, const std::vector<std::string>& extra_args = {}) const;

  /// The host, port and TLS arguments for mosquitto_sub/mosquitto_pub against this broker.
  std::vector<std::string> tool_args() const;

 private:
  void write_config() const;

  TempDir dir_;
  uint16_t port_;
  std::optional<MosquittoTls> tls_;
  std::unique_ptr<Process> proc_;
};

/// A background `mosquitto_sub -v -q 1 -c -i <unique id>` (durable session, clean session off)
/// that records every message ("topic payload" lines) to a file for the lifetime of the object.
/// Because its session is durable, messages published while it is momentarily disconnected
/// during a broker restart are queued for it by the broker. With reconnecting = true it is
/// restarted whenever it exits (for example when the broker was down at its first attempt).
/// The constructor waits (up to 10 s) until the broker has logged its SUBSCRIBE.
class Subscriber {
 public:
  Subscriber(const Mosquitto& broker, const std::string& topic, bool reconnecting = true);
  ~Subscriber();
  Subscriber(const Subscriber&) = delete;
  Subscriber& operator=(const Subscriber&) = delete;

  /// Every complete line received so far.
  std::vector<std::string> lines() const;
  /// The client id it uses.
  const std::string& client_id() const { return id_; }

 private:
  TempDir dir_;
  std::string id_;
  std::unique_ptr<Process> proc_;
  std::filesystem::path out_;
};

}  // namespace rigkeeper::test
