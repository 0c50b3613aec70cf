#include "drivers/api/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "drivers/api/http_transfer.h"

namespace rigkeeper::drivers::http {

namespace {

// The process-wide libcurl multi handle and the one thread that drives it. Started on the first
// fetch; a static object, so it is stopped and joined when the program exits. Transfers still
// in flight at exit are abandoned without calling their completions: the executors they would
// post to may already be gone.
class Worker {
 public:
  static Worker& instance() {
    static Worker worker;
    return worker;
  }

  void submit(std::unique_ptr<Transfer> t) {
    {
      std::lock_guard lock(mutex_);
      incoming_.push_back(std::move(t));
    }
    curl_multi_wakeup(multi_);
  }

  ~Worker() {
    stop_ = true;
    curl_multi_wakeup(multi_);
    if (thread_.joinable()) thread_.join();
    for (auto& t : active_) curl_multi_remove_handle(multi_, t->easy());
    abandon(std::move(active_));
    abandon(std::move(incoming_));
    curl_multi_cleanup(multi_);
  }

 private:
  Worker() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    multi_ = curl_multi_init();
    thread_ = std::thread([this] { run(); });
  }

  template <class C>
  static void abandon(C transfers) {
    for (auto& t : transfers) t->abandon();
  }

  void run() {
    while (!stop_) {
      std::deque<std::unique_ptr<Transfer>> fresh;
      {
        std::lock_guard lock(mutex_);
        fresh.swap(incoming_);
      }
      for (auto& t : fresh) {
        if (curl_multi_add_handle(multi_, t->easy()) != CURLM_OK) {
          t->complete(CURLE_FAILED_INIT);
          continue;
        }
        active_.push_back(std::move(t));
      }
      int running = 0;
      curl_multi_perform(multi_, &running);
      int queued = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
        if (msg->msg != CURLMSG_DONE) continue;
        CURL* easy = msg->easy_handle;
        const CURLcode code = msg->data.result;
        curl_multi_remove_handle(multi_, easy);
        auto it = std::find_if(active_.begin(), active_.end(),
                               [easy](const auto& t) { return t->easy() == easy; });
        if (it == active_.end()) continue;
        std::unique_ptr<Transfer> done = std::move(*it);
        active_.erase(it);
        done->complete(code);
      }
      curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
  }

  CURLM* multi_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::deque<std::unique_ptr<Transfer>> incoming_;
  std::deque<std::unique_ptr<Transfer>> active_;
};

// Starts one request; `done` runs on `executor` (posted, never inline).
//
// Lifetime: the tracked-work executor that keeps the caller's io_context alive travels inside
// the posted handler and is released only there, on the caller's thread. The worker thread never
// holds the last reference to it and posts through an untracked executor: once the handler has
// run, the io_context may be destroyed at any moment, and nothing on the worker may touch it.
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
  Worker::instance().submit(std::move(*transfer));
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
