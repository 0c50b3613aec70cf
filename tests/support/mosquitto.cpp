#include "tests/support/mosquitto.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tests/support/fixtures.h"
#include "tests/support/net.h"

namespace rigkeeper::test {

namespace fs = std::filesystem;

namespace {

std::string mosquitto_binary() {
  std::error_code ec;
  if (fs::exists("/usr/sbin/mosquitto", ec)) return "/usr/sbin/mosquitto";
  return "mosquitto";  // execvp searches PATH
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void openssl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string output;
  const int rc = run_command(argv, &output, std::chrono::seconds(30));
  if (rc != 0) {
    throw std::runtime_error("openssl " + args.front() + " failed (" + std::to_string(rc) +
                             "): " + output);
  }
}

/// A new EC P-256 key and a CSR (or, with self_sign, a self-signed CA certificate).
void new_key_and_req(const fs::path& key, const fs::path& out, const std::string& subject,
                     bool self_sign) {
  std::vector<std::string> args{
      "req",    "-newkey", "ec",         "-pkeyopt", "ec_paramgen_curve:prime256v1",
      "-nodes", "-keyout", key.string(), "-out",     out.string(),
      "-subj",  subject};
  if (self_sign) {
    args.insert(args.end(), {"-x509", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE",
                             "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
  }
  openssl(args);
}

void sign(const fs::path& csr, const fs::path& ca_cert, const fs::path& ca_key,
          const fs::path& ext_file, const fs::path& out) {
  openssl({"x509", "-req", "-in", csr.string(), "-CA", ca_cert.string(), "-CAkey", ca_key.string(),
           "-CAcreateserial", "-days", "2", "-extfile", ext_file.string(), "-out", out.string()});
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::string unique_client_id(const char* prefix) {
  static std::atomic<int> counter{0};
  return std::string(prefix) + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1));
}

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace

// --- TestPki ------------------------------------------------------------------------------

TestPki::TestPki(const fs::path& dir)
    : ca_cert(dir / "ca.crt"),
      ca_key(dir / "ca.key"),
      server_cert(dir / "server.crt"),
      server_key(dir / "server.key"),
      client_cert(dir / "client.crt"),
      client_key(dir / "client.key"),
      other_ca_cert(dir / "other_ca.crt") {
  fs::create_directories(dir);
  new_key_and_req(ca_key, ca_cert, "/CN=rigkeeper test CA", true);
  new_key_and_req(dir / "other_ca.key", other_ca_cert, "/CN=rigkeeper other CA", true);

  const auto server_ext = dir / "server.ext";
  write_text(server_ext,
             "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
             "extendedKeyUsage=serverAuth\n");
  new_key_and_req(server_key, dir / "server.csr", "/CN=127.0.0.1", false);
  sign(dir / "server.csr", ca_cert, ca_key, server_ext, server_cert);

  const auto client_ext = dir / "client.ext";
  write_text(client_ext, "extendedKeyUsage=clientAuth\n");
  new_key_and_req(client_key, dir / "client.csr", "/CN=rigkeeper-test-client", false);
  sign(dir / "client.csr", ca_cert, ca_key, client_ext, client_cert);
}

MosquittoTls TestPki::broker_tls(bool require_client_cert) const {
  MosquittoTls tls;
  tls.ca_file = ca_cert;
  tls.cert_file = server_cert;
  tls.key_file = server_key;
  tls.require_client_cert = require_client_cert;
  tls.client_cert_file = client_cert;
  tls.client_key_file = client_key;
  return tls;
}

// --- Mosquitto ----------------------------------------------------------------------------

Mosquitto::Mosquitto(std::optional<MosquittoTls> tls) : port_(free_port()), tls_(std::move(tls)) {
  fs::create_directories(dir_ / "data");
  write_config();
}

Mosquitto::~Mosquitto() { kill(); }

void Mosquitto::write_config() const {
  std::ostringstream conf;
  if (::geteuid() == 0)
    conf << "user root\n";  // else mosquitto drops to a user that cannot
                            // read our temp dir
  conf << "per_listener_settings false\n"
       << "allow_anonymous true\n"
       << "persistence true\n"
       << "persistence_location " << (dir_ / "data").string() << "/\n"
       << "autosave_interval 1\n"
       << "queue_qos0_messages true\n"
       << "max_queued_messages 1000000\n"
       << "max_inflight_messages 0\n"
       << "log_dest file " << (dir_ / "mosquitto.log").string() << "\n"
       << "log_type all\n"
       << "log_timestamp_format %H:%M:%S\n"
       << "connection_messages true\n"
       << "listener " << port_ << " 127.0.0.1\n";
  if (tls_) {
    conf << "cafile " << tls_->ca_file.string() << "\n"
         << "certfile " << tls_->cert_file.string() << "\n"
         << "keyfile " << tls_->key_file.string() << "\n"
         << "require_certificate " << (tls_->require_client_cert ? "true" : "false") << "\n";
  }
  write_text(dir_ / "mosquitto.conf", conf.str());
}

bool Mosquitto::start() {
  if (running()) return true;
  proc_ = std::make_unique<Process>(
      std::vector<std::string>{mosquitto_binary(), "-c", (dir_ / "mosquitto.conf").string()},
      dir_ / "mosquitto.out");
  return wait_for_port("127.0.0.1", port_, 10000) && running();
}

void Mosquitto::stop() {
  if (proc_) proc_->stop(SIGTERM, std::chrono::seconds(10));
  proc_.reset();
}

void Mosquitto::kill() {
  if (proc_) proc_->stop(SIGKILL, std::chrono::seconds(10));
  proc_.reset();
}

bool Mosquitto::running() { return proc_ && proc_->running(); }

std::string Mosquitto::url() const {
  return std::string(tls_ ? "ssl" : "tcp") + "://127.0.0.1:" + std::to_string(port_);
}

std::string Mosquitto::log() const {
  return read_file(dir_ / "mosquitto.log") + read_file(dir_ / "mosquitto.out");
}

std::vector<std::string> Mosquitto::tool_args() const {
  std::vector<std::string> args{"-h", "127.0.0.1", "-p", std::to_string(port_)};
  if (tls_) {
    args.insert(args.end(), {"--cafile", tls_->ca_file.string()});
    if (tls_->require_client_cert) {
      args.insert(args.end(), {"--cert", tls_->client_cert_file.string(), "--key",
                               tls_->client_key_file.string()});
    }
  }
  return args;
}

std::vector<std::string> Mosquitto::subscribe_collect(const std::string& topic, int count,
                                                      std::chrono::milliseconds timeout,
                                                      bool retained_only) const {
  const auto secs = std::max<long long>(1, (timeout.count() + 999) / 1000);
  std::vector<std::string> argv{"mosquitto_sub"};
  const auto conn = tool_args();
  argv.insert(argv.end(), conn.begin(), conn.end());
  argv.insert(argv.end(), {"-v", "-q", "1", "-t", topic, "-C", std::to_string(count), "-W",
                           std::to_string(secs)});
  if (retained_only) argv.push_back("--retained-only");
  std::string output;
  run_command(argv, &output, std::chrono::seconds(secs + 10));
  std::vector<std::string> lines;
  for (auto& line : split_lines(output)) {
    // mosquitto_sub reports its own problems ("Error: ...", "Timed out") on the same stream.
    if (line.rfind("Error", 0) == 0 || line == "Timed out") continue;
    lines.push_back(std::move(line));
  }
  return lines;
}

int Mosquitto::publish(const std::string& topic, const std::string& payload, int qos, bool retain,
                       const std::vector<std::string>& extra_args) const {
  std::vector<std::string> argv{"mosquitto_pub"};
  const auto conn = tool_args();
  argv.insert(argv.end(), conn.begin(), conn.end());
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  argv.insert(argv.end(), {"-q", std::to_string(qos), "-t", topic, "-m", payload});
  if (retain) argv.push_back("-r");
  std::string output;
  return run_command(argv, &output, std::chrono::seconds(20));
}

// --- Subscriber ---------------------------------------------------------------------------

Subscriber::Subscriber(const Mosquitto& broker, const std::string& topic, bool reconnecting)
    : id_(unique_client_id("rk-sub")), out_(dir_ / "messages.txt") {
  std::string cmd = "mosquitto_sub";
  for (const auto& a : broker.tool_args()) cmd += " " + shell_quote(a);
  cmd += " -v -q 1 -c -i " + shell_quote(id_) + " -t " + shell_quote(topic) + " >>" +
         shell_quote(out_.string()) + " 2>>" + shell_quote((dir_ / "errors.txt").string());
  // A loop restarts it when it gives up (the broker was down at its first attempt); its
  // durable session makes the broker queue what it missed meanwhile.
  const std::string script =
      reconnecting ? "while :; do " + cmd + "; sleep 0.2; done" : "exec " + cmd;
  proc_ = std::make_unique<Process>(std::vector<std::string>{"/bin/sh", "-c", script},
                                    dir_ / "shell.log");
  const std::string marker = "Received SUBSCRIBE from " + id_;
  eventually([&] { return broker.log().find(marker) != std::string::npos; },
             std::chrono::seconds(10));
}

Subscriber::~Subscriber() {
  // The shell and its mosquitto_sub share the process group Process created for them.
  if (proc_ && proc_->running()) ::kill(-proc_->pid(), SIGKILL);
  proc_.reset();
}

std::vector<std::string> Subscriber::lines() const {
  const std::string text = read_file(out_);
  // Only complete lines: the last one may still be being written.
  const auto end = text.rfind('\n');
  if (end == std::string::npos) return {};
  return split_lines(text.substr(0, end + 1));
}

}  // namespace rigkeeper::test
