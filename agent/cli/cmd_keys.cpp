// rigkeeper keygen --id KEY_ID --dir DIR and rigkeeper sign --key DIR/KEY_ID.key [FILE]:
// Ed25519 command keys and signed envelopes (docs/COMMANDS.md, "Signing").
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "agent/cli/command.h"
#include "agent/commands/envelope.h"

namespace rigkeeper::cli {
namespace {

struct KeygenArgs {
  std::string id;
  std::filesystem::path dir;
  bool json = false;
};

struct SignArgs {
  std::filesystem::path key;
  std::optional<std::filesystem::path> file;
  bool json = false;
};

constexpr std::size_t kMaxCommandBytes = 1 << 20;

int sign(const SignArgs& a) {
  std::string body;
  if (a.file) {
    std::ifstream in(*a.file, std::ios::binary);
    if (!in)
      return report("sign", Error{Errc::kInvalidArgument, "cannot read " + a.file->string()});
    body.assign(std::istreambuf_iterator<char>(in), {});
  } else {
    body.assign(std::istreambuf_iterator<char>(std::cin), {});
  }
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) body.pop_back();
  if (body.size() > kMaxCommandBytes)
    return report("sign", Error{Errc::kInvalidArgument, "command larger than 1 MiB"});
  if (nlohmann::json::parse(body, nullptr, false).is_discarded())
    return report("sign", Error{Errc::kInvalidArgument, "the command is not valid JSON"});
  auto env = agent::commands::sign_body(a.key, body);
  if (!env) return report("sign", env.error());
  std::cout << *env << '\n';
  return std::cout ? 0 : 5;
}

}  // namespace

Command add_keygen_command(CLI::App& parent) {
  auto a = std::make_shared<KeygenArgs>();
  auto* app = parent.add_subcommand(
      "keygen", "Make an Ed25519 command key: DIR/KEY_ID.key (private, 0600) and DIR/KEY_ID.pub");
  app->add_option("--id", a->id, "Key id (the file names)")->required();
  app->add_option("--dir", a->dir, "Folder to write the key files into")->required();
  app->add_flag("--json", a->json, "Print the written paths as JSON");
  return {app, [a] {
            if (auto r = agent::commands::generate_key(a->id, a->dir); !r)
              return report("keygen", r.error());
            const auto priv = (a->dir / (a->id + ".key")).string();
            const auto pub = (a->dir / (a->id + ".pub")).string();
            if (a->json)
              std::cout << nlohmann::json{{"key_id", a->id}, {"private", priv}, {"public", pub}}
                        << '\n';
            else
              std::cout << "wrote " << priv << " (keep it secret) and " << pub
                        << " (copy it to each rack's command key folder)\n";
            return 0;
          }};
}

Command add_sign_command(CLI::App& parent) {
  auto a = std::make_shared<SignArgs>();
  auto* app = parent.add_subcommand(
      "sign", "Print the signed envelope of a command read from FILE or stdin");
  app->add_option("--key", a->key, "Private key file (DIR/KEY_ID.key)")->required();
  app->add_option("file", a->file, "Command JSON file (default: stdin)");
  app->add_flag("--json", a->json, "Accepted for uniformity: the envelope is always JSON");
  return {app, [a] { return sign(*a); }};
}

}  // namespace rigkeeper::cli
