// A fake libnvidia-ml for the tests: exports the NVML symbols rigkeeper resolves, with the
// GPUs' values read at nvmlInit_v2 from the file named by $RK_FAKE_NVML (one GPU per line of
// key=value pairs; the tests write it from a capture). $RK_FAKE_NVML_INIT_FAIL makes init fail;
// $RK_FAKE_NVML_NO_PERMISSION makes the power-limit setter answer NO_PERMISSION, as NVML does
// for a non-root caller. Set limits are kept and read back as the enforced limit. A GPU with
// lost=1 answers GPU_IS_LOST, as one that fell off the bus does.
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct FakeGpu {
  std::map<std::string, std::string> v;
  unsigned int enforced_mw = 0;
  std::string get(const std::string& k) const {
    auto it = v.find(k);
    return it == v.end() ? "" : it->second;
  }
  bool has(const std::string& k) const { return v.count(k) != 0; }
  unsigned long long num(const std::string& k) const {
    return std::strtoull(get(k).c_str(), nullptr, 10);
  }
};

std::vector<FakeGpu> g_gpus;
bool g_init = false;

constexpr int kSuccess = 0, kUninit = 1, kInvalid = 2, kNotSupported = 3, kNoPermission = 4,
              kUnknown = 999;

FakeGpu* gpu_of(void* dev) {
  auto i = reinterpret_cast<size_t>(dev);
  return (g_init && i >= 1 && i <= g_gpus.size()) ? &g_gpus[i - 1] : nullptr;
}

int copy_string(const std::string& s, char* buf, unsigned int len) {
  if (buf == nullptr || len <= s.size()) return kInvalid;
  std::memcpy(buf, s.c_str(), s.size() + 1);
  return kSuccess;
}

struct Utilization {
  unsigned int gpu, memory;
};
struct Memory {
  unsigned long long total, free, used;
};

}  // namespace

extern "C" {

__attribute__((visibility("default"))) int nvmlInit_v2() {
  if (std::getenv("RK_FAKE_NVML_INIT_FAIL")) return kUnknown;
  g_gpus.clear();
  const char* path = std::getenv("RK_FAKE_NVML");
  if (path == nullptr) return kUnknown;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    FakeGpu g;
    std::istringstream words(line);
    std::string w;
    while (words >> w) {
      const auto eq = w.find('=');
      if (eq != std::string::npos) g.v[w.substr(0, eq)] = w.substr(eq + 1);
    }
    g.enforced_mw = static_cast<unsigned int>(g.num("limit_mw"));
    g_gpus.push_back(g);
  }
  g_init = true;
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlShutdown() {
  g_init = false;
  return kSuccess;
}

__attribute__((visibility("default"))) const char* nvmlErrorString(int rc) {
  switch (rc) {
    case kSuccess:
      return "Success";
    case kUninit:
      return "Uninitialized";
    case kInvalid:
      return "Invalid Argument";
    case kNotSupported:
      return "Not Supported";
    case kNoPermission:
      return "Insufficient Permissions";
    default:
      return "Unknown Error";
  }
}

__attribute__((visibility("default"))) int nvmlDeviceGetCount_v2(unsigned int* n) {
  if (!g_init) return kUninit;
  *n = static_cast<unsigned int>(g_gpus.size());
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetHandleByIndex_v2(unsigned int i,
                                                                         void** dev) {
  if (!g_init) return kUninit;
  if (i >= g_gpus.size()) return kInvalid;
  *dev = reinterpret_cast<void*>(static_cast<size_t>(i) + 1);
  return kSuccess;
}

#define RK_FAKE_GPU(dev)    \
  FakeGpu* g = gpu_of(dev); \
  if (g == nullptr) return kInvalid;

__attribute__((visibility("default"))) int nvmlDeviceGetName(void* dev, char* buf,
                                                             unsigned int len) {
  RK_FAKE_GPU(dev);
  std::string name = g->get("name");
  for (char& c : name)
    if (c == '_') c = ' ';
  return copy_string(name, buf, len);
}

__attribute__((visibility("default"))) int nvmlDeviceGetUUID(void* dev, char* buf,
                                                             unsigned int len) {
  RK_FAKE_GPU(dev);
  return copy_string(g->get("uuid"), buf, len);
}

__attribute__((visibility("default"))) int nvmlDeviceGetTemperature(void* dev, int sensor,
                                                                    unsigned int* t) {
  RK_FAKE_GPU(dev);
  if (sensor != 0) return kInvalid;
  if (g->has("lost")) return 15;  // NVML_ERROR_GPU_IS_LOST
  if (!g->has("temp")) return kNotSupported;
  *t = static_cast<unsigned int>(g->num("temp"));
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetPowerUsage(void* dev, unsigned int* mw) {
  RK_FAKE_GPU(dev);
  if (!g->has("power_mw")) return kNotSupported;
  *mw = static_cast<unsigned int>(g->num("power_mw"));
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetEnforcedPowerLimit(void* dev,
                                                                           unsigned int* mw) {
  RK_FAKE_GPU(dev);
  if (!g->has("limit_mw")) return kNotSupported;
  *mw = g->enforced_mw;
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetUtilizationRates(void* dev,
                                                                         Utilization* u) {
  RK_FAKE_GPU(dev);
  if (!g->has("util")) return kNotSupported;
  u->gpu = static_cast<unsigned int>(g->num("util"));
  u->memory = 0;
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetMemoryInfo(void* dev, Memory* m) {
  RK_FAKE_GPU(dev);
  if (!g->has("mem_total_mib")) return kNotSupported;
  m->total = g->num("mem_total_mib") << 20;
  m->used = g->num("mem_used_mib") << 20;
  m->free = m->total - m->used;
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetTotalEccErrors(void* dev, int type,
                                                                       int counter,
                                                                       unsigned long long* n) {
  RK_FAKE_GPU(dev);
  if (counter != 0) return kInvalid;  // rigkeeper asks for volatile counts
  const std::string key = type == 0 ? "ecc_corrected" : "ecc_uncorrected";
  if (!g->has(key)) return kNotSupported;
  *n = g->num(key);
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceGetCurrentClocksThrottleReasons(
    void* dev, unsigned long long* r) {
  RK_FAKE_GPU(dev);
  if (!g->has("throttle")) return kNotSupported;
  *r = std::strtoull(g->get("throttle").c_str(), nullptr, 0);
  return kSuccess;
}

__attribute__((visibility("default"))) int nvmlDeviceSetPowerManagementLimit(void* dev,
                                                                             unsigned int mw) {
  RK_FAKE_GPU(dev);
  if (std::getenv("RK_FAKE_NVML_NO_PERMISSION")) return kNoPermission;
  const unsigned int lo = static_cast<unsigned int>(g->num("min_mw"));
  const unsigned int hi = static_cast<unsigned int>(g->num("max_mw"));
  if (hi != 0 && (mw < lo || mw > hi)) return kInvalid;
  g->enforced_mw = mw;
  return kSuccess;
}

}  // extern "C"
