#pragma once
/// One libcurl easy transfer of http_client.cpp: the request's options applied to the handle,
/// the reply collected under its size cap, and the outcome mapped to a Result. Internal to
/// drivers/api (http_client.cpp's per-context multi handle owns every Transfer).
///
/// Thread-safety: created on the caller's thread, then used only on the io_context's thread.
#include <curl/curl.h>

#include <functional>
#include <memory>
#include <string>

#include "drivers/api/http_client.h"

namespace rigkeeper::drivers::http {

class Transfer {
 public:
  using Deliver = std::function<void(Result<Response>)>;

  /// Validates the request (URL, method) and prepares the easy handle. kInvalidArgument for a
  /// malformed URL or an unknown method; kInternal if libcurl refuses an option.
  static Result<std::unique_ptr<Transfer>> create(Request request, Deliver deliver);
  ~Transfer();
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  CURL* easy() const { return easy_; }
  /// Maps libcurl's result to a Result and delivers it (once).
  void complete(CURLcode code);
  /// Drops the completion without running or destroying it (process exit).
  void abandon();

  /// `url` without any user:password@ part, for messages.
  static std::string redact(const std::string& url);

 private:
  Transfer(Request request, Deliver deliver);
  Result<void> configure();
  Error error_for(CURLcode code) const;

  static size_t on_body(char* data, size_t size, size_t count, void* self);
  static size_t on_header(char* data, size_t size, size_t count, void* self);

  /// The URL without credentials, for messages; built only when one is needed (parsing the URL
  /// on every request was ~1 % of a web-API rack's CPU samples).
  std::string where() const { return redact(request_.url); }

  Request request_;
  Deliver deliver_;
  CURL* easy_ = nullptr;
  curl_slist* headers_ = nullptr;
  Response response_;
  size_t received_ = 0;  ///< body and header bytes, against max_response_bytes
  bool oversize_ = false;
  char error_[CURL_ERROR_SIZE] = {};
};

}  // namespace rigkeeper::drivers::http
