#include "drivers/sim/cgminer_dispatch.h"

#include "drivers/sim/cgminer_request.h"

namespace rigkeeper::drivers::sim {

namespace {

Json invalid_command(const DeviceReading& r, const FamilyResponder& responder) {
  return error_reply(code::kInvalidCommand, "Invalid command", responder.description(),
                     r.when_unix);
}

Json one_command(const std::string& cmd, const std::string& param, const DeviceReading& r,
                 const FamilyResponder& responder, const DeviceAccess* access) {
  auto reply =
      access ? responder.respond_on(cmd, param, r, *access) : responder.respond(cmd, param, r);
  if (!reply) return invalid_command(r, responder);
  return std::move(*reply);
}

}  // namespace

Json answer_json(std::string_view request, const DeviceReading& r, const FamilyResponder& responder,
                 const DeviceAccess* access) {
  const CgminerRequest req = parse_cgminer_request(request);
  if (req.error_code) {
    return error_reply(*req.error_code, req.error_msg, responder.description(), r.when_unix);
  }
  if (!req.multi) return one_command(req.commands.front(), req.parameter, r, responder, access);
  if (!responder.accepts_multi_command(r)) return invalid_command(r, responder);
  // cgminer ignores parameters in multi-commands; each reply sits under its command's name.
  Json out = Json::object();
  for (const auto& cmd : req.commands) {
    out[cmd] = Json::array({one_command(cmd, {}, r, responder, access)});
  }
  out["id"] = 1;
  return out;
}

std::string to_wire(const Json& reply) {
  return reply.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string answer(std::string_view request, const DeviceReading& reading,
                   const FamilyResponder& responder) {
  std::string bytes = to_wire(answer_json(request, reading, responder));
  bytes.push_back('\0');
  return bytes;
}

}  // namespace rigkeeper::drivers::sim
