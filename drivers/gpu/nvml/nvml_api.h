#pragma once
/// The slice of NVIDIA's NVML C API that rigkeeper calls, declared here from the published
/// nvml.h signatures so that building needs no NVIDIA header or library: the library is loaded
/// at run time (nvml_library.h). Types are ABI-compatible with nvml.h.
#include <cstdint>

namespace rigkeeper::drivers::nvml::api {

using Return = int;  ///< nvmlReturn_t (an enum, int-sized)
using Device = struct nvmlDevice_st*;

inline constexpr Return kSuccess = 0;
inline constexpr Return kErrorUninitialized = 1;
inline constexpr Return kErrorInvalidArgument = 2;
inline constexpr Return kErrorNotSupported = 3;
inline constexpr Return kErrorNoPermission = 4;
inline constexpr Return kErrorNotFound = 6;
inline constexpr Return kErrorGpuIsLost = 15;

inline constexpr int kTemperatureGpu = 0;        ///< NVML_TEMPERATURE_GPU
inline constexpr int kMemoryErrorCorrected = 0;  ///< NVML_MEMORY_ERROR_TYPE_CORRECTED
inline constexpr int kMemoryErrorUncorrected = 1;
inline constexpr int kVolatileEcc = 0;  ///< NVML_VOLATILE_ECC (since the driver loaded)

struct Utilization {  ///< nvmlUtilization_t
  unsigned int gpu;
  unsigned int memory;
};

struct Memory {  ///< nvmlMemory_t (v1), bytes
  unsigned long long total;
  unsigned long long free;
  unsigned long long used;
};

struct PciInfo {  ///< nvmlPciInfo_t (v3)
  char bus_id_legacy[16];
  unsigned int domain;
  unsigned int bus;
  unsigned int device;
  unsigned int pci_device_id;
  unsigned int pci_sub_system_id;
  char bus_id[32];
};

using InitFn = Return (*)();
using ShutdownFn = Return (*)();
using ErrorStringFn = const char* (*)(Return);
using GetCountFn = Return (*)(unsigned int*);
using GetHandleByIndexFn = Return (*)(unsigned int, Device*);
using GetStringFn = Return (*)(Device, char*, unsigned int);  ///< GetName, GetUUID
using GetTemperatureFn = Return (*)(Device, int, unsigned int*);
using GetUintFn = Return (*)(Device, unsigned int*);  ///< GetPowerUsage, GetEnforcedPowerLimit
using GetUtilizationFn = Return (*)(Device, Utilization*);
using GetMemoryFn = Return (*)(Device, Memory*);
using GetTotalEccFn = Return (*)(Device, int, int, unsigned long long*);
using GetUllFn = Return (*)(Device, unsigned long long*);  ///< throttle reasons bitmask
using SetPowerLimitFn = Return (*)(Device, unsigned int);
using SystemStringFn = Return (*)(char*, unsigned int);  ///< nvmlSystemGetDriverVersion
using GetPciInfoFn = Return (*)(Device, PciInfo*);
using GetRemappedRowsFn = Return (*)(Device, unsigned int*, unsigned int*, unsigned int*,
                                     unsigned int*);
using GetLimitConstraintsFn = Return (*)(Device, unsigned int*, unsigned int*);

}  // namespace rigkeeper::drivers::nvml::api
