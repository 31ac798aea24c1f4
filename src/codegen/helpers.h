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
  GetStack = 67,         // kstack/ustack (4.18)
  DPath = 147,           // path(): fentry/fexit of allowed functions, iterators (5.10)
  Loop = 181,            // bpf_loop: strstr/strcontains (5.17)
  // Time, process and system functions (emit_sys.cpp):
  TracePrintk = 6,      // debugf()
  OverrideReturn = 58,  // override(): kprobes, CONFIG_BPF_KPROBE_OVERRIDE
  SendSignal = 109,     // signal() (5.3)
  KtimeGetTaiNs = 208,  // nsecs(tai) (6.1)
  ProbeWriteUser = 36, // write_user() (issue 5, "memfuncs")
  GetSocketCookie = 46, // socket_cookie(): a BTF struct sock * in tracing programs
  SeqPrintf = 126, // printf() in iter probes, into the iterator's seq file (5.7; issue 4)
  GetNsCurrentPidTgid = 120, // pid/tid seen from scry's PID namespace (5.7)
  SendSignalThread = 117, // signal_thread() (5.5)
  PerCpuPtr = 153,  // percpu_kaddr(name, cpu): a typed ksym on `cpu`, or NULL (5.10)
  ThisCpuPtr = 154, // percpu_kaddr(name): on the current CPU (5.10)
  SkbOutput = 111,  // skboutput(): tracing programs only (5.5; emit_skboutput.cpp)
  // dw_ustack (emit_dw_ustack.cpp):
  GetCurrentTaskBtf = 158, // a trusted task pointer (5.11)
  TaskPtRegs = 175,        // the task's user registers (5.15)
  FindVma = 180,           // the VMA of a user address, to a callback (5.17)
};

// Map types (enum bpf_map_type).
enum class MapType : int {
  Hash = 1,
  Array = 2,
  PercpuHash = 5,
  PercpuArray = 6,
  LruHash = 9,        // let @m = lruhash(N) (issue 3); pids seen in user stacks (emit_stacks.cpp)
  LruPercpuHash = 10, // let @m = percpulruhash(N)
  Ringbuf = 27,
  PerfEventArray = 4, // skboutput() (emit_skboutput.cpp)
};

} // namespace scry::codegen
