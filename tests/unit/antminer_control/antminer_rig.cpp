#include "tests/unit/antminer_control/antminer_rig.h"

#include "drivers/api/http_client.h"

namespace rigkeeper::test {

Result<std::string> AntminerRig::cgi(const std::string& method, const std::string& name,
                                     const std::string& body) {
  drivers::http::Request req;
  req.method = method;
  req.url = "http://" + emitted().host + ":" + std::to_string(emitted().web.at(0).port) +
            "/cgi-bin/" + name;
  req.body = body;
  req.auth = drivers::http::Auth::kDigest;
  req.username = option("web_user");
  req.password = option("web_password");
  auto r = run(drivers::http::fetch(req));
  if (!r) return tl::unexpected(r.error());
  if (!r->ok()) return fail(Errc::kDeviceError, "HTTP " + std::to_string(r->status));
  return r->body;
}

}  // namespace rigkeeper::test
