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
  Hist,   // `size` / 8 u64 buckets per CPU; log2 with 2^`hist.bits` buckets per power
  LHist,  // u64 buckets per CPU: under `hist.min`, (max - min) / step, at/over `hist.max`
};

// hist()/lhist() parameters (ValueKind Hist/LHist).
struct HistDesc {
  uint32_t bits = 0;
  int64_t min = 0, max = 0, step = 1;
};

struct ValueType {
  ValueKind kind = ValueKind::None;
  uint32_t size = 0;
  bool is_signed = false;
  std::vector<ValueType> fields;  // Tuple
  std::vector<uint32_t> offsets;  // Tuple, parallel to fields
  HistDesc hist;                  // Hist, LHist
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
};
struct EventHeader {
  uint32_t kind;
  uint32_t id;
};
constexpr uint32_t kEventHeaderSize = 8;

struct PrintfDesc {
  std::string format;            // as written in the script, escapes decoded
  std::vector<ValueType> args;   // one per conversion that consumes an argument
  std::vector<uint32_t> offsets; // byte offsets in the record, header included
};

struct BpfObject {
  std::vector<char> elf;
  std::vector<ProgramDesc> programs;
  std::vector<MapDesc> maps;
  std::vector<PrintfDesc> printfs;
  std::vector<ValueType> print_values; // print(value) records, by EventHeader::id
  std::string ringbuf_map; // ELF name of the BPF_MAP_TYPE_RINGBUF events map
};

} // namespace scry::object
