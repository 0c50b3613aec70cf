#include "drivers/api/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

#include <boost/asio/posix/stream_descriptor.hpp>

#include "drivers/api/http_transfer.h"

namespace rigkeeper::drivers::http {

namespace {

// libcurl's multi interface driven by the io_context itself (one per execution context, an Asio
// service): libcurl says which sockets to watch and when its next timeout is due
// (CURLMOPT_SOCKETFUNCTION / TIMERFUNCTION), Asio waits on them with the reactor every other
// socket of the daemon uses, and curl_multi_socket_action() advances only the transfer whose
// socket is ready. An earlier version ran curl_multi_perform() and curl_multi_poll() on a worker
// thread: every wake-up walked and polled every transfer in flight and handed results across
// threads, which with a rack of web-API miners was a fifth of the daemon's CPU.
//
// Threading: everything here runs on the io_context's thread (start() dispatches onto it). The
// context must be run by one thread at a time, as the daemon and the CLI do.
class CurlMulti final : public asio::execution_context::service {
 public:
  static inline asio::execution_context::id id;

  explicit CurlMulti(asio::execution_context& ctx) : service(ctx) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
    curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
    curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
  }

  ~CurlMulti() override { shutdown(); }

  /// `executor` (untracked, of this context) runs the waits: the first request's.
  void add(const asio::any_io_executor& executor, std::unique_ptr<Transfer> t) {
    if (!executor_) {
      executor_ = executor;
      timer_.emplace(executor);
    }
    if (!multi_) {  // the context is shutting down
      t->abandon();
      return;
    }
    CURL* easy = t->easy();
    if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
      t->complete(CURLE_FAILED_INIT);
      return;
    }
    active_.emplace(easy, std::move(t));
    for (auto& [fd, watch] : sockets_) arm(watch);  // waits dropped while idle
  }

  // The io_context is being destroyed: transfers in flight are abandoned without their
  // completions (the executors they would post to are going), libcurl closes its sockets.
  void shutdown() override {
    if (!multi_) return;
    if (timer_) cancel_timer();
    for (auto& [easy, t] : active_) {
      curl_multi_remove_handle(multi_, easy);
      t->abandon();
    }
    active_.clear();
    for (auto& [fd, watch] : sockets_) release(*watch);
    sockets_.clear();
    curl_multi_cleanup(multi_);
    multi_ = nullptr;
  }

 private:
  struct Watch {
    explicit Watch(const asio::any_io_executor& ex, curl_socket_t fd) : descriptor(ex, fd) {}
    asio::posix::stream_descriptor descriptor;
    int what = 0;  ///< CURL_POLL_IN / OUT / INOUT as libcurl last asked
    bool reading = false, writing = false, gone = false;
  };

  static int on_socket(CURL*, curl_socket_t fd, int what, void* self_ptr, void*) {
    auto& self = *static_cast<CurlMulti*>(self_ptr);
    if (!self.executor_) return 0;
    auto it = self.sockets_.find(fd);
    if (what == CURL_POLL_REMOVE) {
      if (it != self.sockets_.end()) {
        self.release(*it->second);
        self.sockets_.erase(it);
      }
      return 0;
    }
    if (it == self.sockets_.end())
      it = self.sockets_.emplace(fd, std::make_shared<Watch>(*self.executor_, fd)).first;
    it->second->what = what;
    self.arm(it->second);
    return 0;
  }

  // libcurl moves its timeout on almost every call; re-arming the Asio timer each time was a
  // timerfd_settime() per call (5 % of the daemon's samples). A timeout of 0 is a posted action;
  // a later deadline than the one already waited for keeps the earlier wait (an early timeout
  // action is harmless: libcurl checks its clocks and asks again).
  static int on_timer(CURLM*, long timeout_ms, void* self_ptr) {
    auto& self = *static_cast<CurlMulti*>(self_ptr);
    if (!self.timer_) return 0;
    if (timeout_ms < 0) {
      self.cancel_timer();
      return 0;
    }
    if (timeout_ms == 0) {  // never call back into libcurl from here (not allowed)
      if (!self.kick_posted_) {
        self.kick_posted_ = true;
        asio::post(*self.executor_, [&self] {
          self.kick_posted_ = false;
          self.act(CURL_SOCKET_TIMEOUT, 0);
        });
      }
      return 0;
    }
    const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    if (self.timer_waiting_ && self.timer_->expiry() <= due) return 0;
    self.timer_->expires_at(due);
    self.timer_waiting_ = true;
    self.timer_->async_wait([&self](const boost::system::error_code& ec) {
      if (ec) return;  // re-armed or cancelled: whoever did it set timer_waiting_
      self.timer_waiting_ = false;
      self.act(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
  }

  void cancel_timer() {
    timer_waiting_ = false;
    timer_->cancel();
  }

  // Waits for what libcurl asked, while a transfer is in flight: an idle context must be free
  // to return from run() (the CLI relies on it), so no wait is left behind once the last
  // transfer is done; add() re-arms them.
  void arm(const std::shared_ptr<Watch>& w) {
    if (active_.empty()) return;
    if ((w->what & CURL_POLL_IN) && !w->reading)
      wait(w, asio::posix::stream_descriptor::wait_read, &Watch::reading, CURL_CSELECT_IN);
    if ((w->what & CURL_POLL_OUT) && !w->writing)
      wait(w, asio::posix::stream_descriptor::wait_write, &Watch::writing, CURL_CSELECT_OUT);
  }

  void wait(const std::shared_ptr<Watch>& w, asio::posix::stream_descriptor::wait_type type,
            bool Watch::*pending, int ready) {
    w.get()->*pending = true;
    w->descriptor.async_wait(type, [this, w, pending, ready](const boost::system::error_code& ec) {
      w.get()->*pending = false;
      if (w->gone) return;
      if (ec && ec != asio::error::operation_aborted) {
        act(w->descriptor.native_handle(), CURL_CSELECT_ERR);
        return;
      }
      if (!ec) act(w->descriptor.native_handle(), ready);
      // Also after a cancellation: a transfer added since the idle cancel (this handler had not
      // run yet, so add() saw the wait as pending) needs the wait back.
      if (!w->gone) arm(w);
    });
  }

  // libcurl owns and closes the socket: take it out of the reactor without closing it.
  static void release(Watch& w) {
    w.gone = true;
    boost::system::error_code ignored;
    w.descriptor.cancel(ignored);
    (void)w.descriptor.release();
  }

  void act(curl_socket_t fd, int events) {
    if (!multi_) return;
    int running = 0;
    curl_multi_socket_action(multi_, fd, events, &running);
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode code = msg->data.result;
      curl_multi_remove_handle(multi_, easy);
      auto node = active_.extract(easy);
      if (!node.empty()) node.mapped()->complete(code);  // posts the completion, never inline
    }
    if (active_.empty()) {
      cancel_timer();
      for (auto& [s, w] : sockets_) {
        boost::system::error_code ignored;
        w->descriptor.cancel(ignored);
      }
    }
  }

  std::optional<asio::any_io_executor> executor_;
  std::optional<asio::steady_timer> timer_;
  bool timer_waiting_ = false;  ///< an async_wait on timer_ is pending
  bool kick_posted_ = false;    ///< a zero-timeout action is posted
  CURLM* multi_ = nullptr;
  std::unordered_map<curl_socket_t, std::shared_ptr<Watch>> sockets_;
  std::unordered_map<CURL*, std::unique_ptr<Transfer>> active_;
};

// Starts one request; `done` runs on `executor` (posted, never inline).
//
// Lifetime: the tracked-work executor that keeps the caller's io_context alive travels inside
// the posted handler and is released only there. Transfers are handed to the context's
// CurlMulti through dispatch, so fetch_async() may still be called from another thread.
void start(asio::any_io_executor executor, Request request,
           std::function<void(Result<Response>)> done) {
  auto work = asio::prefer(executor, asio::execution::outstanding_work.tracked);
  auto plain = asio::prefer(executor, asio::execution::outstanding_work.untracked);
  auto deliver = [plain, work = std::move(work),
                  done = std::move(done)](Result<Response> r) mutable {
    asio::post(plain, [work = std::move(work), done = std::move(done), r = std::move(r)]() mutable {
      done(std::move(r));
      work = asio::any_io_executor();
    });
  };
  auto transfer = Transfer::create(std::move(request), deliver);
  if (!transfer) {
    deliver(tl::unexpected(transfer.error()));
    return;
  }
  asio::execution_context& context = asio::query(executor, asio::execution::context);
  // A handler destroyed without running (its context destroyed first) abandons the transfer
  // rather than destroying the completion's tracked executor there.
  struct Handoff {
    explicit Handoff(std::unique_ptr<Transfer> t) : transfer(std::move(t)) {}
    Handoff(Handoff&&) = default;
    ~Handoff() {
      if (transfer) transfer->abandon();
    }
    std::unique_ptr<Transfer> transfer;
  };
  asio::dispatch(executor, [&context, plain, handoff = Handoff(std::move(*transfer))]() mutable {
    asio::use_service<CurlMulti>(context).add(plain, std::move(handoff.transfer));
  });
}

}  // namespace

std::optional<std::string> Response::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return value;
    }
  }
  return std::nullopt;
}

// The coroutine waits on an Asio timer that the completion (posted to the caller's executor by
// start()) moves to the past, not on a custom async_initiate completion: on 32-bit ARM that
// version crashed within a few requests (resuming a use_awaitable handler from the posted
// std::function; see docs/PACKAGING.md, "armhf"), while Asio's own timer wait behaves on every
// target. Expiring the timer rather than cancelling it also covers a completion that lands
// before the wait starts.
asio::awaitable<Result<Response>> fetch(Request request) {
  auto executor = co_await asio::this_coro::executor;
  struct Pending {
    explicit Pending(const asio::any_io_executor& ex) : signal(ex) {}
    asio::steady_timer signal;
    std::optional<Result<Response>> result;
  };
  auto pending = std::make_shared<Pending>(executor);
  pending->signal.expires_at(asio::steady_timer::time_point::max());
  start(executor, std::move(request), [pending](Result<Response> r) {
    pending->result = std::move(r);
    pending->signal.expires_at(asio::steady_timer::time_point::min());
  });
  while (!pending->result) {
    boost::system::error_code ec;  // operation_aborted when the completion moved the expiry
    co_await pending->signal.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  co_return std::move(*pending->result);
}

void fetch_async(asio::any_io_executor executor, Request request,
                 std::function<void(Result<Response>)> done) {
  start(std::move(executor), std::move(request), std::move(done));
}

std::optional<std::string> challenge_realm(const Response& response) {
  for (const auto& [key, value] : response.headers) {
    if (key != "www-authenticate") continue;
    std::string lower(value);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const size_t at = lower.find("realm=");
    if (at == std::string::npos) continue;
    size_t begin = at + 6;
    if (begin < value.size() && value[begin] == '"') {
      const size_t end = value.find('"', begin + 1);
      if (end == std::string::npos) continue;
      return value.substr(begin + 1, end - begin - 1);
    }
    const size_t end = value.find_first_of(", ", begin);
    return value.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  }
  return std::nullopt;
}

}  // namespace rigkeeper::drivers::http
