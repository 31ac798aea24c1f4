// Codegen's entry point: declares the maps, emits one program per attach point, and
// emits the object with the metadata the runtime needs.
#include "codegen/codegen.h"

#include <algorithm>
#include <bit>

#include "codegen/body_classes.h"
#include "codegen/probe_sections.h"
#include "codegen/program_emitter.h"
#include "codegen/value_types.h"

namespace scry::codegen {

namespace {

// The kernel's page size on x86-64: ring buffers are a power of two of pages.
constexpr uint32_t kPageSize = 4096;
constexpr uint32_t kNoPrealloc = 1; // BPF_F_NO_PREALLOC

// A map declared in the preamble (issue 3) gets the declared BPF type and size; sema
// checked that its per-CPU-ness suits its values.
void declaredMap(const sema::Analysis &analysis, const std::string &name, MapType &type,
                 uint32_t &max_entries) {
  auto it = analysis.map_decls.find(name);
  if (it == analysis.map_decls.end() || it->second.max_entries == 0) // 0: labels only
    return;
  max_entries = it->second.max_entries;
  switch (it->second.kind) {
  case sema::MapKind::Hash: type = MapType::Hash; return;
  case sema::MapKind::LruHash: type = MapType::LruHash; return;
  case sema::MapKind::PercpuHash: type = MapType::PercpuHash; return;
  case sema::MapKind::PercpuLruHash: type = MapType::LruPercpuHash; return;
  }
}

void declareMaps(CompileState &state) {
  // Ring buffer for printf/exit records: config perf_rb_pages pages (256: 1 MiB).
  uint32_t pages = std::bit_ceil(std::max<uint32_t>(state.analysis.config.perf_rb_pages, 1));
  state.events = state.mb.declareMap("scry_events", 2);
  state.mb.finishMap(state.events, {MapType::Ringbuf, 0, 0, pages * kPageSize});
  state.out.ringbuf_map = "scry_events";
  for (const auto &[name, info] : state.analysis.maps) {
    object::MapDesc desc;
    desc.name = name;
    desc.elf_name = "AT_" + name.substr(1);
    // Aggregations live in per-CPU maps; user space combines the CPUs' copies.
    bool is_count = info.value.kind() == ast::TypeKind::Count || info.value.isAggregation();
    desc.key = toValueType(info.key);
    desc.key_size = info.key.isNone() ? 8 : info.key.size();
    desc.value = toValueType(info.value);
    desc.per_cpu = is_count;
    desc.key_names = info.key_names;
    desc.max_entries = info.key.isNone() ? 1 : state.analysis.config.max_map_keys;
    bool is_tseries = info.value.isAggregation() && info.value.aggKind() == ast::AggKind::TSeries;
    if (is_tseries) // an element per key and interval, allocated as used (emit_tseries.cpp)
      layoutTseriesMap(desc, state.analysis.config.max_map_keys);
    MapType type = is_count ? MapType::PercpuHash : MapType::Hash;
    declaredMap(state.analysis, name, type, desc.max_entries); // let @m = lruhash(N)
    auto *gv = state.mb.declareMap(desc.elf_name, is_tseries ? 5 : 4);
    state.mb.finishMap(gv, {type, desc.key_size,
                            info.value.size(), desc.max_entries, is_tseries ? kNoPrealloc : 0});
    state.maps[name] = gv;
    state.out.maps.push_back(std::move(desc));
  }
  // What the programs could not record: lost events, refused map updates (issue 7).
  state.counters = state.mb.declareMap("scry_counters", 4);
  state.mb.finishMap(state.counters,
                     {MapType::PercpuArray, 4, 8,
                      object::kCounterMapDrops + static_cast<uint32_t>(state.out.maps.size())});
  state.out.counters_map = "scry_counters";
}

} // namespace

static object::ValueKind aggregationValueKind(ast::AggKind agg) {
  switch (agg) {
  case ast::AggKind::Sum: return object::ValueKind::Sum;
  case ast::AggKind::Min: return object::ValueKind::Min;
  case ast::AggKind::Max: return object::ValueKind::Max;
  case ast::AggKind::Avg: return object::ValueKind::Avg;
  case ast::AggKind::Stats: return object::ValueKind::Stats;
  case ast::AggKind::Hist: return object::ValueKind::Hist;
  case ast::AggKind::LHist: return object::ValueKind::LHist;
  case ast::AggKind::TSeries: return object::ValueKind::TSeries;
  }
  return object::ValueKind::None;
}

static object::ValueKind resolvedValueKind(ast::ResolveKind kind) {
  switch (kind) {
  case ast::ResolveKind::Username: return object::ValueKind::Username;
  case ast::ResolveKind::Timestamp: return object::ValueKind::Timestamp;
  case ast::ResolveKind::CgroupPath: return object::ValueKind::CgroupPath;
  }
  return object::ValueKind::None;
}

object::ValueType toValueType(const ast::Type &type) {
  object::ValueType v;
  v.size = type.size();
  switch (type.kind()) {
  case ast::TypeKind::None:
  case ast::TypeKind::Record:
    v.kind = object::ValueKind::None;
    break;
  case ast::TypeKind::Array: // of integers (sema's storable())
    v.kind = object::ValueKind::Array;
    v.fields.push_back(toValueType(type.element()));
    break;
  case ast::TypeKind::Bool:
    v.kind = object::ValueKind::Bool;
    break;
  case ast::TypeKind::Int: // a pointer sema erased still prints as one (issue #5)
    v.kind = type.isAddress() ? object::ValueKind::Pointer : object::ValueKind::Int;
    v.is_signed = type.isSigned();
    break;
  case ast::TypeKind::Pointer: // an integer everywhere but in print (issue #5)
    v.kind = object::ValueKind::Pointer;
    break;
  case ast::TypeKind::String:
    v.kind = object::ValueKind::String;
    break;
  case ast::TypeKind::Tuple:
    v.kind = object::ValueKind::Tuple;
    for (const auto &e : type.elements())
      v.fields.push_back(toValueType(e));
    v.offsets = type.tupleOffsets();
    v.names = type.names(); // a record's (issue 3)
    break;
  case ast::TypeKind::Count:
    v.kind = object::ValueKind::Count;
    break;
  case ast::TypeKind::Buffer:
    v.kind = object::ValueKind::Buffer;
    break;
  case ast::TypeKind::Inet:
    v.kind = object::ValueKind::Inet;
    break;
  case ast::TypeKind::MacAddr:
    v.kind = object::ValueKind::MacAddr;
    break;
  case ast::TypeKind::Stack: // issue 5 (emit_stacks.cpp)
    v.kind = type.stackParams().user ? object::ValueKind::UStack : object::ValueKind::KStack;
    v.stack = {static_cast<uint32_t>(type.stackParams().mode), type.stackParams().limit};
    break;
  case ast::TypeKind::Symbol:
    v.kind = type.stackParams().user ? object::ValueKind::USym : object::ValueKind::KSym;
    break;
  case ast::TypeKind::Resolved: // time, process and system (emit_sys.cpp)
    v.kind = resolvedValueKind(type.resolveSpec().kind);
    v.text = type.resolveSpec().text;
    v.boot_clock = type.resolveSpec().clock == ast::Clock::Boot;
    break;
  case ast::TypeKind::Aggregation:
    v.kind = aggregationValueKind(type.aggKind());
    v.is_signed = type.isSigned();
    v.hist = {type.histParams().bits, type.histParams().min, type.histParams().max,
              type.histParams().step};
    v.tseries = {type.tseriesParams().interval_ns, type.tseriesParams().num_intervals,
                 static_cast<uint32_t>(type.tseriesParams().agg)};
    break;
  }
  return v;
}

bool compile(const ast::Program &, const std::vector<sema::ProbeSpec> &probes,
             const sema::Analysis &analysis, const diag::SourceFile &source,
             const Options &options, object::BpfObject &out, std::string &error) {
  ModuleBuilder mb(source);
  CompileState state{mb, analysis, out, nullptr, {}, {nullptr, nullptr}, {0, 0}, nullptr, 0,
                     nullptr, std::max<uint32_t>(options.possible_cpus, 1)};
  state.start_boot_ns = options.start_boot_ns; // time, process and system (emit_sys.cpp)
  state.tai_offset_ns = options.tai_offset_ns;
  state.filter_pid = options.filter_pid; // -p on kernel probes (emit_probe_filters.cpp)
  state.source = &source;
  state.child_pid = options.child_pid; // cpid (emit_task.cpp)
  out.max_cat_bytes = analysis.config.max_cat_bytes;
  declareMaps(state);
  // One program per group of attach points that share a body (probe_groups.h), also
  // across probes whose bodies differ only in literals (body_classes.h).
  BodyClasses bodies(probes, analysis);
  for (const ProgramGroup &group : groupProbes(probes, &bodies)) {
    const sema::ProbeSpec &spec = probes[group.specs.front()];
    std::string function = "probe_" + std::to_string(group.specs.front());
    std::vector<object::ProgramDesc> descs = describeGroup(group, probes, function);
    ProgramEmitter emitter(state, spec, runsInProcess(descs.front().type) ? 0 : 1);
    emitter.setGroup(&group, &probes);
    std::vector<std::vector<uint64_t>> rows; // each attach point's slot values
    for (size_t i : group.specs) {
      rows.emplace_back();
      for (const ast::IntegerLit *literal : bodies.slots(probes[i].probe))
        rows.back().push_back(literal->value);
    }
    emitter.setLiteralSlots(bodies.slots(spec.probe), rows);
    emitter.emit(function, groupSection(group, spec)); // probe_groups.cpp
    for (auto &desc : descs)
      out.programs.push_back(std::move(desc));
  }
  for (int region = 0; region < 2; ++region)
    if (state.scratch[region])
      mb.finishMap(state.scratch[region],
                   {MapType::PercpuArray, 4, state.scratch_size[region], 1});
  if (state.zero_value) // never written: new aggregation elements are copied from it
    mb.finishMap(state.zero_value, {MapType::Array, 4, state.zero_size, 1});
  if (state.unwind_files) { // dw_ustack: the probed binaries' tables are loaded first
    for (const sema::ProbeSpec &spec : probes) {
      bool user = spec.kind == ast::ProbeKind::Uprobe || spec.kind == ast::ProbeKind::Uretprobe ||
                  spec.kind == ast::ProbeKind::Usdt;
      auto &binaries = out.unwind_binaries;
      if (user && std::find(binaries.begin(), binaries.end(), spec.path) == binaries.end())
        binaries.push_back(spec.path);
    }
  }
  markTruncatableStrings(out, analysis.config.max_strlen,
                         analysis.config.str_trunc_trailer); // value_types.h
  return mb.emit(out.elf, error, options.dump_ir, options.dump_ir_opt, options.dump_bpf);
}

} // namespace scry::codegen
