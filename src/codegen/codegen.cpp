// Codegen's entry point: declares the maps, emits one program per attach point, and
// emits the object with the metadata the runtime needs.
#include "codegen/codegen.h"

#include "codegen/program_emitter.h"
#include "codegen/value_types.h"

namespace scry::codegen {

namespace {

// Ring buffer for printf/exit records (a power of two, a multiple of the page size).
constexpr uint32_t kEventsRingSize = 1u << 20;

object::ProbeType probeType(ast::ProbeKind kind) {
  switch (kind) {
  case ast::ProbeKind::Begin:
    return object::ProbeType::Begin;
  case ast::ProbeKind::End:
    return object::ProbeType::End;
  case ast::ProbeKind::Interval:
    return object::ProbeType::Interval;
  default:
    return object::ProbeType::Tracepoint;
  }
}

std::string sectionFor(const sema::ProbeSpec &spec) {
  switch (probeType(spec.kind)) {
  case object::ProbeType::Begin:
  case object::ProbeType::End:
    return "raw_tp";
  case object::ProbeType::Interval:
    return "perf_event";
  case object::ProbeType::Tracepoint:
    break;
  }
  return "tracepoint/" + spec.category + "/" + spec.event;
}

void declareMaps(CompileState &state) {
  state.events = state.mb.declareMap("scry_events", 2);
  state.mb.finishMap(state.events, {MapType::Ringbuf, 0, 0, kEventsRingSize});
  state.out.ringbuf_map = "scry_events";
  for (const auto &[name, info] : state.analysis.maps) {
    object::MapDesc desc;
    desc.name = name;
    desc.elf_name = "AT_" + name.substr(1);
    bool is_count = info.value.kind() == ast::TypeKind::Count;
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
  }
  return v;
}

bool compile(const ast::Program &, const std::vector<sema::ProbeSpec> &probes,
             const sema::Analysis &analysis, const diag::SourceFile &source,
             const Options &options, object::BpfObject &out, std::string &error) {
  ModuleBuilder mb(source);
  CompileState state{mb, analysis, out, nullptr, {}, {nullptr, nullptr}, {0, 0}};
  declareMaps(state);
  for (size_t i = 0; i < probes.size(); ++i) {
    const sema::ProbeSpec &spec = probes[i];
    object::ProgramDesc desc;
    desc.function = "probe_" + std::to_string(i);
    desc.type = probeType(spec.kind);
    desc.probe_name = spec.name;
    desc.target = spec.category + ":" + spec.event;
    desc.period_ns = spec.period_ns;
    bool special = desc.type == object::ProbeType::Begin || desc.type == object::ProbeType::End;
    ProgramEmitter(state, spec, special ? 0 : 1).emit(desc.function, sectionFor(spec));
    out.programs.push_back(std::move(desc));
  }
  for (int region = 0; region < 2; ++region)
    if (state.scratch[region])
      mb.finishMap(state.scratch[region],
                   {MapType::PercpuArray, 4, state.scratch_size[region], 1});
  return mb.emit(out.elf, error, options.dump_ir, options.dump_ir_opt, options.dump_bpf);
}

} // namespace scry::codegen
