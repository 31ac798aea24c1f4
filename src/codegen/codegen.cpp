// Codegen's entry point: declares the maps, emits one program per attach point, and
// emits the object with the metadata the runtime needs.
#include "codegen/codegen.h"

#include <algorithm>

#include "codegen/probe_sections.h"
#include "codegen/program_emitter.h"
#include "codegen/value_types.h"

namespace scry::codegen {

namespace {

// Ring buffer for printf/exit records (a power of two, a multiple of the page size).
constexpr uint32_t kEventsRingSize = 1u << 20;

void declareMaps(CompileState &state) {
  state.events = state.mb.declareMap("scry_events", 2);
  state.mb.finishMap(state.events, {MapType::Ringbuf, 0, 0, kEventsRingSize});
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
    desc.max_entries = info.key.isNone() ? 1 : state.analysis.config.max_map_keys;
    auto *gv = state.mb.declareMap(desc.elf_name, 4);
    state.mb.finishMap(gv, {is_count ? MapType::PercpuHash : MapType::Hash, desc.key_size,
                            info.value.size(), desc.max_entries});
    state.maps[name] = gv;
    state.out.maps.push_back(std::move(desc));
  }
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
  }
  return object::ValueKind::None;
}

object::ValueType toValueType(const ast::Type &type) {
  object::ValueType v;
  v.size = type.size();
  switch (type.kind()) {
  case ast::TypeKind::None:
  case ast::TypeKind::Record:
  case ast::TypeKind::Array:
    v.kind = object::ValueKind::None;
    break;
  case ast::TypeKind::Bool:
    v.kind = object::ValueKind::Bool;
    break;
  case ast::TypeKind::Int:
    v.kind = object::ValueKind::Int;
    v.is_signed = type.isSigned();
    break;
  case ast::TypeKind::Pointer:
    v.kind = object::ValueKind::Int;
    break;
  case ast::TypeKind::String:
    v.kind = object::ValueKind::String;
    break;
  case ast::TypeKind::Tuple:
    v.kind = object::ValueKind::Tuple;
    for (const auto &e : type.elements())
      v.fields.push_back(toValueType(e));
    v.offsets = type.tupleOffsets();
    break;
  case ast::TypeKind::Count:
    v.kind = object::ValueKind::Count;
    break;
  case ast::TypeKind::Aggregation:
    v.kind = aggregationValueKind(type.aggKind());
    v.is_signed = type.isSigned();
    v.hist = {type.histParams().bits, type.histParams().min, type.histParams().max,
              type.histParams().step};
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
  declareMaps(state);
  // One program per group of attach points that share a body (probe_groups.h).
  for (const ProgramGroup &group : groupProbes(probes)) {
    const sema::ProbeSpec &spec = probes[group.specs.front()];
    std::string function = "probe_" + std::to_string(group.specs.front());
    std::vector<object::ProgramDesc> descs = describeGroup(group, probes, function);
    ProgramEmitter emitter(state, spec, runsInProcess(descs.front().type) ? 0 : 1);
    emitter.setGroup(&group, &probes);
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
  return mb.emit(out.elf, error, options.dump_ir, options.dump_ir_opt, options.dump_bpf);
}

} // namespace scry::codegen
