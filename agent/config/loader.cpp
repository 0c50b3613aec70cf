#include "agent/config/loader.h"

#include <algorithm>
#include <exception>

#include <toml++/toml.h>

#include "agent/config/file_io.h"
#include "drivers/api/registry.h"

namespace rigkeeper::agent::config {
namespace {

std::string_view line_of(std::string_view text, uint32_t line) {
  std::size_t start = 0;
  for (uint32_t i = 1; i < line; ++i) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return {};
    ++start;
  }
  return text.substr(start, text.find('\n', start) - start);
}

// toml++ quotes pieces of the offending text in its messages; on a line that assigns a secret
// that piece could be the secret itself.
bool mentions_secret(std::string_view text, uint32_t line, const std::vector<std::string>& names) {
  const std::string_view l = line_of(text, line);
  return std::any_of(names.begin(), names.end(),
                     [&](const std::string& n) { return l.find(n) != std::string_view::npos; });
}

std::string syntax_problem(const toml::parse_error& e) {
  constexpr std::string_view kPrefix = "Error while parsing ";
  std::string_view desc = e.description();
  if (desc.substr(0, kPrefix.size()) == kPrefix)
    return "invalid " + std::string(desc.substr(kPrefix.size()));
  return std::string(desc);
}

void add_text(ConfigBuilder& builder, std::string_view text, const Location& origin,
              const std::filesystem::path& base_dir) {
  if (text.size() > kMaxConfigFileBytes) {
    builder.add_problem(origin, "",
                        "config is too large: " + std::to_string(text.size()) +
                            " bytes, the limit is " + std::to_string(kMaxConfigFileBytes) +
                            " bytes");
    return;
  }
  try {
    const toml::table doc = toml::parse(text, std::string_view(origin.origin));
    builder.add_document(doc, origin, base_dir);
  } catch (const toml::parse_error& e) {
    const Location where = at(origin, e.source());
    std::string problem = syntax_problem(e);
    if (mentions_secret(text, where.line, builder.secret_key_names()))
      problem = "invalid TOML on a line that holds a secret (details hidden)";
    builder.add_problem(where, "syntax error", problem);
  } catch (const std::exception& e) {
    builder.add_problem(origin, "", std::string("cannot be parsed: ") + e.what());
  }
}

// Relative paths in a file are relative to the file's folder, wherever the daemon runs.
std::filesystem::path base_dir_of(const std::filesystem::path& file) {
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(file, ec);
  return ec ? std::filesystem::path() : absolute.parent_path();
}

void add_file(ConfigBuilder& builder, const std::filesystem::path& file) {
  const Location origin = builder.begin_origin(file.string());
  auto text = read_bounded(file, kMaxConfigFileBytes);
  if (!text) {
    builder.add_problem(origin, "", "config file " + text.error());
    return;
  }
  add_text(builder, *text, origin, base_dir_of(file));
}

}  // namespace

tl::expected<std::vector<std::filesystem::path>, std::string> drop_in_files(
    const std::filesystem::path& file) {
  const auto dir = file.parent_path() / "rigkeeper.d";
  std::error_code ec;
  const auto status = std::filesystem::status(dir, ec);
  if (status.type() == std::filesystem::file_type::not_found) return {};
  if (!std::filesystem::is_directory(status))
    return tl::unexpected("drop-in folder '" + dir.string() + "' is not a folder");
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (name.empty() || name.front() == '.' || it->path().extension() != ".toml") continue;
    files.push_back(it->path());
    if (files.size() > kMaxDropIns)
      return tl::unexpected("drop-in folder '" + dir.string() + "' holds more than " +
                            std::to_string(kMaxDropIns) + " .toml files");
  }
  if (ec)
    return tl::unexpected("drop-in folder '" + dir.string() + "' cannot be read: " + ec.message());
  std::sort(files.begin(), files.end(),
            [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
  return files;
}

Result<AgentConfig> load_config_with(const std::filesystem::path& file,
                                     const ConfigOverrides& overrides, const DriverList& drivers) {
  ConfigBuilder builder(drivers);
  const Location main = builder.begin_origin(file.string());
  auto text = read_bounded(file, kMaxConfigFileBytes);
  if (!text)  // nothing else is worth reading without the main file
    return fail(Errc::kConfig, main.str() + ": config file " + text.error());
  add_text(builder, *text, main, base_dir_of(file));
  auto drop_ins = drop_in_files(file);
  if (!drop_ins) {
    builder.add_problem(builder.begin_origin(file.string()), "", drop_ins.error());
  } else {
    for (const auto& d : *drop_ins) add_file(builder, d);
  }
  builder.apply_overrides(overrides);
  return builder.finish(file);
}

Result<AgentConfig> parse_config_with(std::string_view toml_text, std::string_view origin,
                                      const ConfigOverrides& overrides, const DriverList& drivers) {
  ConfigBuilder builder(drivers);
  add_text(builder, toml_text, builder.begin_origin(std::string(origin)), {});
  builder.apply_overrides(overrides);
  return builder.finish(std::filesystem::path(origin));
}

}  // namespace rigkeeper::agent::config

namespace rigkeeper::agent {

Result<AgentConfig> load_config(const std::filesystem::path& file,
                                const ConfigOverrides& overrides) {
  return config::load_config_with(file, overrides, drivers::all_drivers());
}

Result<AgentConfig> parse_config(std::string_view toml_text, std::string_view origin,
                                 const ConfigOverrides& overrides) {
  return config::parse_config_with(toml_text, origin, overrides, drivers::all_drivers());
}

}  // namespace rigkeeper::agent
