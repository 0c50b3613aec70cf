#pragma once
/// A scripted cgminer-API server on 127.0.0.1 (a free port), for tests of the transport and
/// of the cgminer-family drivers. It runs its own io_context on its own thread; every public
/// method is safe to call from the test thread while it serves.
///
/// Protocol as real firmware speaks it: one request per connection (`{"command":C,
/// "parameter":P}` JSON, or cgminer's plain-text `C|P`), one reply, then the server closes.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace rigkeeper::test {

/// How the server treats each new connection (after reading the request, which is recorded).
enum class FakeBehavior {
  kNormal,             ///< the handler's reply plus the NUL terminator, then close
  kHang,               ///< read the request, never answer (until the client gives up)
  kReset,              ///< half of the handler's reply, then a TCP reset (SO_LINGER 0)
  kCloseWithoutReply,  ///< close cleanly without sending a byte
  kGarbage,            ///< an HTTP error page and binary junk, NUL-terminated
  kOversize,           ///< a syntactically valid reply of oversize_bytes() (default 2 MiB)
  kSlowDrip,           ///< the normal reply in 16 pieces, 20 ms apart (~0.3 s in all)
};

class FakeCgminerServer {
 public:
  /// Returns the reply body for a parsed request (command may be "summary+stats");
  /// the server appends the NUL terminator in kNormal mode. Called on the server's thread.
  using Handler =
      std::function<std::string(const std::string& command, const std::string& parameter)>;

  explicit FakeCgminerServer(Handler handler);

  /// Convenience: serves files: reply for command C = the file `fixture_dir/C.json`
  /// (`fixture_dir` relative to the shared fixtures, e.g. "asic/antminer_stock", or absolute);
  /// multi-commands answered in the real-firmware array-wrapped form built from the single
  /// files (`{"summary":[<summary.json>],"stats":[...],"id":1}`), or, if !accept_multi, with
  /// the invalid-command reply (as stock S19 firmware does); unknown command -> the
  /// invalid-command reply of errors/invalid_command_s19pro_stock.json.
  static Handler serve_fixture_dir(const std::string& fixture_dir, bool accept_multi = true);

  /// The bytes of errors/invalid_command_s19pro_stock.json (STATUS E, Code 14).
  static std::string invalid_command_reply();

  /// Stops serving: closes the listener and every open connection, joins the thread.
  ~FakeCgminerServer();
  FakeCgminerServer(const FakeCgminerServer&) = delete;
  FakeCgminerServer& operator=(const FakeCgminerServer&) = delete;

  uint16_t port() const;
  /// Applies to connections accepted from now on.
  void set_behavior(FakeBehavior b);
  std::vector<std::string> requests() const;  // raw request bodies received, in order

  /// Size of the kOversize reply.
  void set_oversize_bytes(std::size_t n);
  /// Connections accepted so far (including ones that sent no request).
  std::size_t connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rigkeeper::test
