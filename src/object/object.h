// The contract between codegen and the runtime: a BPF ELF object in memory plus the
// metadata the runtime needs to attach its programs and decode what they send. The
// runtime sees only this, never the AST.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace scry::object {

// How a value is laid out in bytes, for decoding and printing.
enum class ValueKind {
  None,
  Int,    // `size` bytes, little endian, `is_signed`
  Bool,   // 1 byte
  String, // `size` bytes, NUL-terminated unless full
  Tuple,  // `fields` at `offsets`
  Count,  // u64 per CPU in a per-CPU map, summed when read
  // Aggregations in per-CPU maps, combined across CPUs when read (runtime/aggregate.h):
  Sum,    // int64 per CPU (`is_signed`), summed
  Min,    // {int64 value, u64 seen} per CPU: the least value of the CPUs that saw one
  Max,    // {int64 value, u64 seen} per CPU: the greatest
  Avg,    // {u64 count, int64 total} per CPU: prints total / count
  Stats,  // {u64 count, int64 total} per CPU: prints count, average and total
  // Hist, LHist: `size` / 8 - 1 u64 buckets per CPU, then the int64 sum of the values.
  Hist,   // log2 buckets with 2^`hist.bits` buckets per power of two
  LHist,  // buckets under `hist.min`, (max - min) / step, at/over `hist.max`
  // tseries (issue 5): a per-CPU {int64 value, int64 meta, u64 epoch} slot per
  // interval, under the map key followed by a u64 slot number (epoch % num_intervals);
  // `tseries` parameters. Decoded per key into its intervals (runtime/tseries.h).
  TSeries,
  // Strings, buffers and addresses (issue 5, helper "strings"; runtime/bytes_format.h):
  Buffer,  // buf(): u32 length, then `size` - 4 bytes of data
  Inet,    // ntop(): u64 address family (AF_INET, AF_INET6), then 16 address bytes
  MacAddr, // macaddr(): 6 bytes, printed as AA:BB:CC:DD:EE:FF
  // Time, process and system (issue 5, helper "sys"; runtime/resolve.h): a u64 that is
  // printed as text user space resolves.
  Username,   // a uid: the user's name from /etc/passwd (the number if it has none)
  Timestamp,  // nanoseconds since boot (`boot_clock`) or the epoch, through strftime(`text`)
  CgroupPath, // a cgroup id: "hierarchy:path" for each mounted hierarchy matching `text`
  // Stacks and symbols (issue 5, helper "stacks"; runtime/symbolize.h, stack_format.h),
  // symbolised by user space; `stack` parameters:
  KStack, // u64 frame count, then `stack.limit` u64 kernel addresses (leaf first)
  UStack, // the same with user addresses, then the u32 pid they belong to, u32 0
  KSym,   // ksym(): a u64 kernel address
  USym,   // usym(): a u64 user address, then the u32 pid, u32 0
  // A pointer (issue 5): 8 bytes, an integer to compare and sort, but
  // printed as bpftrace prints pointers, 0x and lowercase hex (0x0 for null).
  Pointer,
  Array, // issue 3: `size` bytes holding `size` / fields[0]'s size elements of fields[0]
};

// kstack/ustack parameters (ValueKind KStack/UStack). `mode`: 0 bpftrace, 1 perf,
// 2 raw (ast::StackMode's order).
struct StackDesc {
  uint32_t mode = 0;
  uint32_t limit = 0;
};

// hist()/lhist() parameters (ValueKind Hist/LHist).
struct HistDesc {
  uint32_t bits = 0;
  int64_t min = 0, max = 0, step = 1;
};

// tseries() parameters (ValueKind TSeries). `agg`: 0 the last value, 1 avg, 2 max,
// 3 min, 4 sum (ast::TSeriesAgg's order).
struct TSeriesDesc {
  uint64_t interval_ns = 1;
  uint32_t num_intervals = 1;
  uint32_t agg = 0;
};

struct ValueType {
  ValueKind kind = ValueKind::None;
  uint32_t size = 0;
  bool is_signed = false;
  std::vector<ValueType> fields;  // Tuple
  std::vector<uint32_t> offsets;  // Tuple, parallel to fields
  std::vector<std::string> names; // Tuple: a record's field names, else empty (issue 3)
  HistDesc hist;                  // Hist, LHist
  // String: read from memory with `size` as its limit (str(), path()), so a full
  // buffer means the text was cut; it is printed followed by `trunc_trailer` (config
  // str_trunc_trailer, bpftrace's ".." unless set; "" prints none).
  bool truncatable = false;
  std::string trunc_trailer;
  TSeriesDesc tseries;            // TSeries
  std::string text;        // Timestamp: the strftime format; CgroupPath: the filter glob
  bool boot_clock = false; // Timestamp: nanoseconds since boot, else since the epoch
  StackDesc stack;         // KStack, UStack
};

struct MapDesc {
  std::string name;     // as in the script: "@x", or "@" for the anonymous map
  std::string elf_name; // the map's name in the object's .maps section
  // Keys; kind None means a scalar map, stored under one all-zero key of key_size bytes.
  ValueType key;
  uint32_t key_size = 0;
  ValueType value;
  bool per_cpu = false; // a per-CPU map: values are summed (Count) across CPUs
  uint32_t max_entries = 0;
  // Names of the key's parts (one per tuple field, or one for a single key), valid
  // Prometheus label names: the exporter's labels (src/export).
  std::vector<std::string> key_names;
};

enum class ProbeType {
  Begin,      // run once before other probes attach, via BPF_PROG_TEST_RUN (raw_tp)
  End,        // run once at exit, the same way
  Tracepoint, // attach to `target` = "category:event"
  Interval,   // perf software cpu-clock event on CPU 0 every `period_ns`
  // Probe families added with issue 4 (attached in src/runtime/attach_*.cpp):
  RawTracepoint, // tp_btf (or raw_tp) program on `target` = event name
  PerfEvent,     // profile/software/hardware: perf_type/perf_config/period on every CPU
  Kprobe,        // `target` = kernel function, `offset` into it; retprobe when `is_return`
  Fentry,        // fentry/fexit on `target` (libbpf resolves the BTF id at load)
  Uprobe,        // `path` at file `offset`; retprobe when `is_return`
  Usdt,          // `path`, `target` = "provider:name"
  Signal,        // self:signal:SIGUSR1, run via BPF_PROG_TEST_RUN when the signal arrives
  // Issue 4, helper "probes" (src/runtime/attach_multi.cpp, attach_iter.cpp):
  UprobeMulti, // uprobes of a wildcard: a uprobe_multi link per path over `multi`
  KprobeMulti, // kprobes of a wildcard: one kprobe_multi link over `multi`
  Watchpoint,  // a perf hardware breakpoint: `perf_config` = HW_BREAKPOINT_* type,
               // `offset` = the address, `perf_period` = its length; in process -p if
               // given, else a kernel address on every CPU
  Iter,        // the BPF iterator `target`, run once and read, or pinned at `path`
};

struct ProgramDesc {
  std::string function;   // the program's function name in the object
  ProbeType type = ProbeType::Begin;
  std::string probe_name; // full name, e.g. "tracepoint:syscalls:sys_enter_openat"
  std::string target;     // Tracepoint: "category:event"
  uint64_t period_ns = 0; // Interval
  // Fields of the issue-4 probe families (see ProbeType):
  std::string path;          // Uprobe/Usdt: the binary or library, resolved
  uint64_t offset = 0;       // Kprobe: offset into the function; Uprobe: file offset
  bool is_return = false;    // Kprobe/Fentry/Uprobe: the return probe
  uint32_t perf_type = 0;    // PerfEvent: PERF_TYPE_SOFTWARE/HARDWARE
  uint64_t perf_config = 0;  // PerfEvent: PERF_COUNT_*
  uint64_t perf_period = 0;  // PerfEvent: sample_period, or sample_freq when perf_freq
  bool perf_freq = false;
  std::string suggestion;    // Kprobe/Fentry: a tracepoint covering the same event, or ""
  // One program may serve several attach points (codegen/probe_groups.h): then several
  // ProgramDescs name the same `function`, each attached with its own `cookie` (the
  // program reads it with bpf_get_attach_cookie), or one raw_tp ProgramDesc stands for
  // `attach_points` syscall tracepoints. "Attached N probes" counts attach points.
  bool has_cookie = false;
  uint64_t cookie = 0;
  uint32_t attach_points = 1;
  // UprobeMulti/KprobeMulti: the attach points, each with the cookie the program reads
  // to tell them apart (issue 4).
  struct MultiTarget {
    std::string path;  // UprobeMulti: the binary
    uint64_t offset = 0; // UprobeMulti: file offset
    std::string func;  // KprobeMulti: the kernel function
    uint64_t cookie = 0;
  };
  std::vector<MultiTarget> multi;
};

// Every record a program writes to the ring buffer starts with this header.
enum class EventKind : uint32_t {
  Printf = 1, // id indexes BpfObject::printfs; arguments follow at their offsets
  Exit = 2,   // an int64 exit code follows at offset 8
  // Map functions, acted on in order with printf output (runtime/map_actions.h). `id`
  // indexes BpfObject::maps.
  PrintMap = 3, // print(@m, top, div): u64 top at offset 8, u64 div at 16 (0: none)
  ClearMap = 4, // clear(@m): delete every key
  ZeroMap = 5,  // zero(@m): set every value to zero
  PrintValue = 6, // print(value): id indexes BpfObject::print_values; the value at 8
  // Time, process and system functions (runtime/sys_events.h); `id` indexes the
  // BpfObject vector named. Cat, System and Errorf carry arguments as Printf does.
  Time = 20,   // time(fmt): time_formats
  Cat = 21,    // cat(fmt, ...): cats
  System = 22, // system(fmt, ...): systems
  Join = 23,   // join(argv, sep): joins; u64 count at 8, then `count` strings of arg_size bytes
  Errorf = 24, // errorf()/warnf(): errorfs
  // Stacks (issue 5): a pid first seen in a ustack or usym; `id` is the pid. The
  // runtime captures its /proc/PID/maps while it lives (runtime/symbolize.h). At 8, a
  // u64: in a uprobe, the address file offset 0 of the probed binary is mapped at
  // (else 0); at 16, a u64: that binary's index + 1 in BpfObject::stack_binaries, so
  // frames in it resolve even when the process is gone before its maps are read.
  PidSeen = 30,
  // dw_ustack (issue 5): an address of process `id` lies in none of the mappings the
  // runtime gave the unwinder, or in a file without an unwind table: the runtime reads
  // /proc/PID/maps again (runtime/unwind_tables.h) and recaptures them for symbols.
  PidMapsChanged = 31,
  // unwatch(addr) (bpftrace 0.25): the runtime detaches the watchpoints on the u64
  // address at offset 8 (runtime/attach.h, Attachments::unwatch).
  Unwatch = 40,
};
struct EventHeader {
  uint32_t kind;
  uint32_t id;
};
constexpr uint32_t kEventHeaderSize = 8;

// Slots of the counters map, a per-CPU u64 array the programs update and the runtime
// sums over the CPUs while it polls: what could not be recorded is counted, never
// silently lost.
constexpr uint32_t kCounterLostEvents = 0;    // records the events ring buffer had no room for
constexpr uint32_t kCounterExitRequested = 1; // exit() ran but its record had no room: 1
constexpr uint32_t kCounterExitCode = 2;      // ... and the code it was given
constexpr uint32_t kCounterMapDrops = 3;      // + index in BpfObject::maps: updates a full map refused

struct PrintfDesc {
  std::string format;            // as written in the script, escapes decoded
  std::vector<ValueType> args;   // one per conversion that consumes an argument
  std::vector<uint32_t> offsets; // byte offsets in the record, header included
};

// join(): the separator, and the layout of its record.
struct JoinDesc {
  std::string separator = " ";
  uint32_t max_args = 0; // strings read at most (bpftrace: 16)
  uint32_t arg_size = 0; // bytes per string slot
};

// errorf()/warnf(): the message's format and where the call is, as bpftrace prints it.
struct ErrorfDesc {
  PrintfDesc printf;
  bool is_error = true;  // errorf; false for warnf
  std::string location;  // "stdin:1:9-62"
  std::string filename;  // JSON "filename", "line", "col"
  uint32_t line = 0, col = 0;
};

struct BpfObject {
  std::vector<char> elf;
  std::vector<ProgramDesc> programs;
  std::vector<MapDesc> maps;
  std::vector<PrintfDesc> printfs;
  std::vector<ValueType> print_values; // print(value) records, by EventHeader::id
  std::string ringbuf_map; // ELF name of the BPF_MAP_TYPE_RINGBUF events map
  // ELF name of the per-CPU array of counters (kCounter* below; issue 7), "" if none.
  std::string counters_map;
  // Time, process and system functions (EventKind Time..Errorf), by EventHeader::id.
  std::vector<std::string> time_formats;
  std::vector<PrintfDesc> cats;
  std::vector<PrintfDesc> systems;
  std::vector<JoinDesc> joins;
  std::vector<ErrorfDesc> errorfs;
  uint64_t max_cat_bytes = 10240; // config max_cat_bytes: what cat() prints of a file at most
  // Stacks (issue 5): the binaries of uprobes whose PidSeen records name one (index + 1).
  std::vector<std::string> stack_binaries;
  // dw_ustack (issue 5): ELF names of the unwind-table maps the runtime fills ("" when
  // the script has no dw_ustack; runtime/unwind_tables.h), and the binaries the script's
  // uprobes and USDT probes name, whose tables are loaded before anything runs.
  std::string unwind_files_map, unwind_rows_map, unwind_procs_map;
  std::vector<std::string> unwind_binaries;
  // skboutput() (issue 5): the pcap files' paths, by SkbOutputMeta::id, and the ELF name
  // of the BPF_MAP_TYPE_PERF_EVENT_ARRAY their packets arrive through ("" if none).
  std::vector<std::string> skb_outputs;
  std::string skb_output_map;
  uint32_t skb_output_pages = 0; // per CPU, a power of two (config perf_rb_pages)
};

// skboutput() (issue 5): each perf sample is this, then `captured` bytes copied from the
// start of the packet's data (bpf_skb_output); the pcap record holds those from `offset`.
struct SkbOutputMeta {
  uint32_t id;        // index in BpfObject::skb_outputs
  uint32_t offset;    // the script's offset argument
  uint32_t packet_len; // skb->len, or `captured` when the program could not read it
  uint32_t captured;  // bytes of packet data that follow
  uint64_t boot_ns;   // bpf_ktime_get_boot_ns() when the probe fired
};

} // namespace scry::object
