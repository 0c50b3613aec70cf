#include "drivers/asic/vnish/identify.h"

#include <algorithm>
#include <cctype>

#include "drivers/api/json_reader.h"
#include "drivers/asic/common/json_access.h"
#include "drivers/asic/common/model_specs.h"
#include "drivers/asic/common/numbers.h"
#include "drivers/asic/common/probe_reading.h"
#include "drivers/asic/vnish/parser.h"

namespace rigkeeper::drivers::vnish {

namespace {

std::string lower(std::string_view s) {
  std::string out(s.substr(0, 16 * 1024));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::optional<nlohmann::json> info_of(const Probe& probe) {
  const WebProbe* w = probe.web_at("/api/v1/info");
  if (w == nullptr || w->status < 200 || w->status >= 300) return std::nullopt;
  auto j = read_json(w->body);
  if (!j.is_object()) return std::nullopt;
  return j;
}

}  // namespace

int match(const Probe& probe) {
  if (auto info = info_of(probe)) {
    if (lower(asic::string_at(&*info, "fw_name").value_or("")).find("vnish") != std::string::npos)
      return 40;
  }
  if (const WebProbe* root = probe.web_at("/")) {
    const auto body = lower(root->body);
    if (body.find("anthillos") != std::string::npos || body.find("vnish") != std::string::npos)
      return 35;
  }
  if (asic::probe_is_cgminer(probe) && asic::probe_has_token(probe, "VNISH")) return 32;
  return 0;
}

Identity identify(const Probe& probe) {
  Identity id;
  id.driver = "vnish";
  id.firmware = "vnish";
  asic::identity_model_from_probe(probe, id);
  std::optional<std::string> type;
  if (const auto* v = asic::probe_version_entry(probe)) type = asic::string_at(v, "Type");
  if (auto info = info_of(probe)) {
    if (auto m = asic::string_at(&*info, "miner"); m && !m->empty()) {
      id.model = asic::clean_model(*m);
      id.make = asic::make_of_model(id.model);
    }
    if (auto v = asic::string_at(&*info, "fw_version"); v && !v->empty()) {
      id.firmware_version = v->substr(0, 40);
    }
  }
  if (!id.firmware_version && type) id.firmware_version = version_in_type(*type);
  return id;
}

}  // namespace rigkeeper::drivers::vnish
