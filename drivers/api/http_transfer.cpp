#include "drivers/api/http_transfer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <vector>

namespace rigkeeper::drivers::http {

namespace {

constexpr std::array<std::string_view, 6> kMethods = {"GET",   "POST",   "PUT",
                                                      "PATCH", "DELETE", "HEAD"};

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool is_tls_failure(CURLcode code) {
  switch (code) {
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

// Finished easy handles kept for the next transfers: curl_easy_reset() clears every option and
// the authentication state but keeps the handle's buffers, so a rack polling hundreds of web
// APIs does not allocate and free ~20 kB per request (a measurable share of the daemon's CPU
// went to malloc consolidating after those frees).
class HandlePool {
 public:
  // Never destroyed: transfers abandoned when an io_context is destroyed at exit still give
  // their handles back, whatever the order of static destruction.
  static HandlePool& instance() {
    static auto* pool = new HandlePool;
    return *pool;
  }
  CURL* take() {
    {
      std::lock_guard lock(mutex_);
      if (!idle_.empty()) {
        CURL* h = idle_.back();
        idle_.pop_back();
        curl_easy_reset(h);
        return h;
      }
    }
    return curl_easy_init();
  }
  void give(CURL* h) {
    {
      std::lock_guard lock(mutex_);
      if (idle_.size() < kMaxIdle) {
        idle_.push_back(h);
        return;
      }
    }
    curl_easy_cleanup(h);
  }

 private:
  static constexpr size_t kMaxIdle = 16;
  std::mutex mutex_;
  std::vector<CURL*> idle_;
};

}  // namespace

Transfer::Transfer(Request request, Deliver deliver)
    : request_(std::move(request)), deliver_(std::move(deliver)) {}

Transfer::~Transfer() {
  if (easy_) HandlePool::instance().give(easy_);
  if (headers_) curl_slist_free_all(headers_);
}

std::string Transfer::redact(const std::string& url) {
  CURLU* u = curl_url();
  std::string out = url;
  if (u && curl_url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    curl_url_set(u, CURLUPART_USER, nullptr, 0);
    curl_url_set(u, CURLUPART_PASSWORD, nullptr, 0);
    char* clean = nullptr;
    if (curl_url_get(u, CURLUPART_URL, &clean, 0) == CURLUE_OK && clean) {
      out = clean;
      curl_free(clean);
    }
  } else {
    // Unparseable: cut anything between "://" and a later '@' so credentials never leak.
    const size_t scheme = out.find("://");
    const size_t at = out.find('@', scheme == std::string::npos ? 0 : scheme);
    if (scheme != std::string::npos && at != std::string::npos)
      out.erase(scheme + 3, at - scheme - 2);
  }
  if (u) curl_url_cleanup(u);
  return out;
}

Result<std::unique_ptr<Transfer>> Transfer::create(Request request, Deliver deliver) {
  std::unique_ptr<Transfer> t(new Transfer(std::move(request), std::move(deliver)));
  if (auto ok = t->configure(); !ok) return tl::unexpected(ok.error());
  return t;
}

Result<void> Transfer::configure() {
  // Scheme and syntax are checked here, so a bad URL fails before any I/O.
  {
    CURLU* u = curl_url();
    char* scheme = nullptr;
    const bool parsed = u && curl_url_set(u, CURLUPART_URL, request_.url.c_str(), 0) == CURLUE_OK &&
                        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK;
    const std::string s = scheme ? lower(scheme) : "";
    if (scheme) curl_free(scheme);
    if (u) curl_url_cleanup(u);
    if (!parsed || (s != "http" && s != "https")) {
      return fail(Errc::kInvalidArgument, "bad URL " + where() + " (http:// or https:// expected)");
    }
  }
  const std::string method = request_.method;
  if (std::find(kMethods.begin(), kMethods.end(), method) == kMethods.end()) {
    return fail(Errc::kInvalidArgument, "unsupported HTTP method '" + method + "' for " + where());
  }
  easy_ = HandlePool::instance().take();
  if (!easy_) return fail(Errc::kInternal, "libcurl could not create a handle for " + where());

  bool ok = true;
  const auto set = [&](CURLoption opt, auto value) {
    ok = ok && curl_easy_setopt(easy_, opt, value) == CURLE_OK;
  };
  set(CURLOPT_URL, request_.url.c_str());
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_FOLLOWLOCATION, 0L);
  set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, request_.timeout.count())));
  set(CURLOPT_ERRORBUFFER, error_);
  set(CURLOPT_PRIVATE, static_cast<void*>(this));
  set(CURLOPT_WRITEFUNCTION, &Transfer::on_body);
  set(CURLOPT_WRITEDATA, static_cast<void*>(this));
  set(CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  set(CURLOPT_HEADERDATA, static_cast<void*>(this));
  set(CURLOPT_ACCEPT_ENCODING, "");  // whatever libcurl decodes; the cap applies after decoding

  if (method == "GET") {
    set(CURLOPT_HTTPGET, 1L);
  } else if (method == "HEAD") {
    set(CURLOPT_NOBODY, 1L);
  } else {
    if (method != "POST") set(CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method != "DELETE" || !request_.body.empty()) {
      set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request_.body.size()));
      set(CURLOPT_POSTFIELDS, request_.body.data());
    }
  }
  for (const auto& [name, value] : request_.headers) {
    headers_ = curl_slist_append(headers_, (name + ": " + value).c_str());
  }
  headers_ = curl_slist_append(headers_, "Expect:");  // no 100-continue round trip
  set(CURLOPT_HTTPHEADER, headers_);

  const bool tls = lower(request_.url.substr(0, 8)) == "https://";
  switch (request_.auth) {
    case Auth::kNone:
      break;
    case Auth::kBasic:
      set(CURLOPT_HTTPAUTH, static_cast<unsigned long>(CURLAUTH_BASIC));
      break;
    case Auth::kDigest:
      set(CURLOPT_HTTPAUTH, static_cast<unsigned long>(CURLAUTH_DIGEST));
      break;
    case Auth::kAny:
      set(CURLOPT_HTTPAUTH, static_cast<unsigned long>(tls ? CURLAUTH_ANY : CURLAUTH_ANYSAFE));
      break;
  }
  if (request_.auth != Auth::kNone) {
    set(CURLOPT_USERNAME, request_.username.c_str());
    set(CURLOPT_PASSWORD, request_.password.c_str());
  }
  if (!request_.tls.ca_file.empty()) set(CURLOPT_CAINFO, request_.tls.ca_file.c_str());
  if (request_.tls.insecure) {
    set(CURLOPT_SSL_VERIFYPEER, 0L);
    set(CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!request_.tls.client_cert.empty()) set(CURLOPT_SSLCERT, request_.tls.client_cert.c_str());
  if (!request_.tls.client_key.empty()) set(CURLOPT_SSLKEY, request_.tls.client_key.c_str());
  if (!ok) return fail(Errc::kInternal, "libcurl refused the options of a request to " + where());
  return {};
}

size_t Transfer::on_body(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  if (t->received_ + n > t->request_.max_response_bytes) {
    t->oversize_ = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->received_ += n;
  t->response_.body.append(data, n);
  return n;
}

size_t Transfer::on_header(char* data, size_t size, size_t count, void* self) {
  auto* t = static_cast<Transfer*>(self);
  const size_t n = size * count;
  if (t->received_ + n > t->request_.max_response_bytes) {
    t->oversize_ = true;
    return 0;
  }
  t->received_ += n;
  const std::string_view line(data, n);
  if (line.substr(0, 5) == "HTTP/") {
    // A new status line: an earlier 401 of an auth round trip or a 100 Continue. Only the
    // final response's headers are kept.
    t->response_.headers.clear();
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) return n;  // blank line or garbage
  t->response_.headers.emplace_back(lower(trim(line.substr(0, colon))),
                                    trim(line.substr(colon + 1)));
  return n;
}

Error Transfer::error_for(CURLcode code) const {
  const std::string detail = error_[0] ? std::string(error_) : curl_easy_strerror(code);
  if (oversize_) {
    return {Errc::kProtocol, "reply from " + where() + " larger than " +
                                 std::to_string(request_.max_response_bytes) + " bytes"};
  }
  switch (code) {
    case CURLE_COULDNT_CONNECT:
      return {Errc::kUnreachable, "cannot connect to " + where() + ": " + detail};
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {Errc::kUnreachable, "cannot resolve the host of " + where()};
    case CURLE_OPERATION_TIMEDOUT:
      return {Errc::kTimeout, "no reply from " + where() + " within " +
                                  std::to_string(request_.timeout.count()) + " ms"};
    case CURLE_GOT_NOTHING:
      return {Errc::kProtocol, where() + " closed the connection without a reply"};
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
      return {Errc::kUnreachable, "connection to " + where() + " failed: " + detail};
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {Errc::kInvalidArgument, "bad URL " + where()};
    default:
      break;
  }
  if (is_tls_failure(code)) {
    return {Errc::kProtocol, "TLS verification failed for " + where() + ": " + detail};
  }
  return {Errc::kProtocol, "request to " + where() + " failed: " + detail};
}

void Transfer::complete(CURLcode code) {
  if (!deliver_) return;
  Deliver deliver = std::move(deliver_);
  deliver_ = nullptr;
  if (code != CURLE_OK) {
    deliver(tl::unexpected(error_for(code)));
    return;
  }
  curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &response_.status);
  deliver(std::move(response_));
}

void Transfer::abandon() {
  // Leaked on purpose: destroying the completion would touch an executor that may be gone.
  if (deliver_) new Deliver(std::move(deliver_));
}

}  // namespace rigkeeper::drivers::http
