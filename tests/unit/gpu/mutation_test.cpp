// Deterministic mutations of every GPU capture fed to every GPU parser: byte flips, cuts,
// splices and inserted separators must never crash, hang or invent GPUs. (A replay of the kind
// a fuzzer would find; the seeds are fixed so a failure reproduces.)
#include <gtest/gtest.h>

#include <random>

#include "drivers/gpu/common/kernel_xid.h"
#include "drivers/gpu/dcgm/parser.h"
#include "drivers/gpu/nvidia_smi/csv.h"
#include "drivers/gpu/nvidia_smi/xml.h"
#include "tests/support/fixtures.h"
#include "tests/unit/gpu/gpu_test_util.h"

namespace rigkeeper::drivers {
namespace {

std::string mutate(std::string s, std::mt19937& rng) {
  static const std::string kSpice = ",\"{}<>=\\\n \t#[]0x-9e+NaN\0\xff";
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits && !s.empty(); ++e) {
    const size_t at = rng() % s.size();
    switch (rng() % 4) {
      case 0:
        s[at] = kSpice[rng() % kSpice.size()];
        break;
      case 1:
        s.erase(at, rng() % 64);
        break;
      case 2:
        s.insert(at, 1, kSpice[rng() % kSpice.size()]);
        break;
      default:
        s.insert(at, s.substr(rng() % s.size(), rng() % 128));
        break;
    }
  }
  return s;
}

template <class Parse>
void replay(const std::string& seed_text, Parse parse, unsigned seed) {
  std::mt19937 rng(seed);
  for (int i = 0; i < 1500; ++i) parse(mutate(seed_text, rng));
}

TEST(GpuMutations, DcgmPage) {
  replay(
      test::dcgm_page_from_default_counters(2),
      [](const std::string& s) {
        auto r = dcgm::parse_metrics(s);
        if (r) {
          EXPECT_LE(r->gpus.size(), 4u);  // a mutated gpu label may add at most a few
        }
      },
      1);
}

TEST(GpuMutations, NvidiaSmiCsvAndXml) {
  for (const auto& f : test::fixture_files("gpu/nvidia-smi/extracted")) {
    if (f.string().find("query-gpu.csv") == std::string::npos) continue;
    replay(
        test::read_file(f),
        [](const std::string& s) {
          auto r = nvidia_smi::parse_csv_with_header(s);
          if (r) {
            EXPECT_LE(r->gpus.size(), 8u);
          }
        },
        2);
  }
  for (const auto& f : test::fixture_files("gpu/nvidia-smi/xml")) {
    replay(
        test::read_file(f),
        [](const std::string& s) {
          auto r = nvidia_smi::parse_xml(s);
          if (r) {
            EXPECT_LE(r->gpus.size(), 8u);
          }
        },
        3);
  }
}

TEST(GpuMutations, KernelXidLines) {
  replay(
      test::read_fixture("gpu/nvidia-smi/xid_dmesg.txt"),
      [](const std::string& s) {
        for (const auto& ev : gpu::parse_xid_lines(s)) EXPECT_GT(ev.code, 0);
      },
      4);
}

}  // namespace
}  // namespace rigkeeper::drivers
