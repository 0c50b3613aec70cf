#pragma once
/// What a model should have when healthy: hash boards and chips per board. Firmware reports
/// how many chips it found, never how many a board carries, so CHIPS_MISSING needs this
/// table. Values from pyasic's device model classes (pyasic/miners/device/models/antminer),
/// which carry expected_chips per model and 3 boards unless stated; an unknown model gives
/// nullptr and the snapshot's chips_expected stays null.
#include <optional>
#include <string>
#include <string_view>

namespace rigkeeper::drivers::asic {

struct ModelSpec {
  std::string_view model;  ///< as firmware writes it, e.g. "Antminer S19 Pro"
  int boards = 3;
  int chips_per_board = 0;
};

/// The spec of a model, matched ignoring case and spaces ("Antminer S19XP" finds "Antminer
/// S19 XP"), or nullptr.
const ModelSpec* find_model_spec(std::string_view model);

/// A firmware `Type` cleaned for display: the " (…)" suffix some firmware adds ("Antminer S19
/// Pro (88)") cut off, a leading "Bitmain " dropped, spaces trimmed.
std::string clean_model(std::string_view type);

/// The manufacturer a model name implies: Antminer -> Bitmain, Whatsminer/M3x.. -> MicroBT,
/// Avalon -> Canaan, BMM -> Braiins; "" when it does not say.
std::string make_of_model(std::string_view model);

}  // namespace rigkeeper::drivers::asic
