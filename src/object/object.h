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
};

struct ValueType {
  ValueKind kind = ValueKind::None;
  uint32_t size = 0;
  bool is_signed = false;
  std::vector<ValueType> fields;  // Tuple
  std::vector<uint32_t> offsets;  // Tuple, parallel to fields
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
};

struct ProgramDesc {
  std::string function;   // the program's function name in the object
  ProbeType type = ProbeType::Begin;
  std::string probe_name; // full name, e.g. "tracepoint:syscalls:sys_enter_openat"
  std::string target;     // Tracepoint: "category:event"
  uint64_t period_ns = 0; // Interval
};

// Every record a program writes to the ring buffer starts with this header.
enum class EventKind : uint32_t {
  Printf = 1, // id indexes BpfObject::printfs; arguments follow at their offsets
  Exit = 2,   // an int64 exit code follows at offset 8
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
  std::string ringbuf_map; // ELF name of the BPF_MAP_TYPE_RINGBUF events map
};

} // namespace scry::object
