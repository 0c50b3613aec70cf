#pragma once
/// The one include for Boost.Asio in rigkeeper. Boost 1.74's awaitable.hpp uses std::exchange
/// without including <utility>; including it first keeps every translation unit building.
#include <utility>  // first: see above

#include <boost/asio.hpp>

namespace rigkeeper {
namespace asio = boost::asio;
}  // namespace rigkeeper
