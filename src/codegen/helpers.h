// BPF helper function ids (include/uapi/linux/bpf.h; all present since kernel 5.8,
// ktime_get_boot_ns since 5.8, ring buffer since 5.8).
#pragma once

namespace scry::codegen {

enum class Helper : int {
  MapLookupElem = 1,
  MapUpdateElem = 2,
  ProbeRead = 4,
  ProbeReadStr = 45, // user or kernel address (x86-64)
  KtimeGetNs = 5,
  GetSmpProcessorId = 8,
  GetCurrentPidTgid = 14,
  GetCurrentUidGid = 15,
  GetCurrentComm = 16,
  GetPrandomU32 = 7,
  GetCurrentTask = 35,
  GetNumaNodeId = 42,
  GetCurrentCgroupId = 80,
  Jiffies64 = 118,
  ProbeReadUser = 112,
  ProbeReadKernel = 113,
  ProbeReadUserStr = 114,
  ProbeReadKernelStr = 115,
  KtimeGetBootNs = 125,
  RingbufOutput = 130,
  RingbufReserve = 131,
  RingbufSubmit = 132,
  MapDeleteElem = 3,
  ForEachMapElem = 164,      // kernel 5.13
  MapLookupPercpuElem = 195, // kernel 5.19
  GetFuncIp = 173,       // kprobe, fentry (5.15)
  GetAttachCookie = 174, // kprobe, uprobe, perf_event (5.15); USDT spec ids
};

// Map types (enum bpf_map_type).
enum class MapType : int {
  Hash = 1,
  Array = 2,
  PercpuHash = 5,
  PercpuArray = 6,
  Ringbuf = 27,
};

} // namespace scry::codegen
