#pragma once
/// Private to drivers/api: one cgminer-API request/reply exchange over a fresh TCP connection
/// (resolve, connect, write, read to EOF), bounded by a deadline and a size cap. The
/// transport half of CgminerClient; it knows nothing of JSON.
#include <cstdint>
#include <string>

#include "drivers/api/asio.h"
#include "drivers/api/cgminer_client.h"
#include "drivers/api/result.h"

namespace rigkeeper::drivers::detail {

/// "host:port", with an IPv6 literal in brackets.
std::string endpoint_name(const std::string& host, uint16_t port);

/// Sends `request` to host:port and returns every byte of the reply up to EOF (trailing NULs
/// included). I/O objects live on `io`; the deadline handler runs on the calling coroutine's
/// executor, so the whole exchange is serialised with it. Never throws.
/// Errors: kUnreachable (resolve, refused, no route, reset before a reply), kTimeout
/// ("no reply from H:P within N ms"), kProtocol (oversize, reset mid-reply, empty reply).
asio::awaitable<Result<std::string>> cgminer_exchange(asio::any_io_executor io,
                                                      const std::string& host, uint16_t port,
                                                      std::string request,
                                                      const CgminerOptions& options);

}  // namespace rigkeeper::drivers::detail
