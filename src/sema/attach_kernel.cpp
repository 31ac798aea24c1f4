// Attach-point expansion of the kernel-side families: rawtracepoint, profile, software,
// hardware, self, kprobe/kretprobe and fentry/fexit (kfunc/kretfunc). Arguments are typed
// from BTF: a raw tracepoint's btf_trace_<event> prototype, a function's FUNC_PROTO
// (mapped onto pt_regs registers for kprobes).
#include <linux/perf_event.h>

#include <charconv>

#include "sema/probe_families.h"
#include "support/strings.h"

namespace scry::sema {

using ast::ProbeKind;
using diag::DiagId;

namespace {

bool parseNumber(const std::string &s, uint64_t &out) {
  int base = s.rfind("0x", 0) == 0 ? 16 : 10;
  const char *begin = s.data() + (base == 16 ? 2 : 0);
  auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), out, base);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

bool hasGlob(const std::string &s) { return s.find_first_of("*?") != std::string::npos; }

void invalid(FamilyContext &ctx, const ProbeSpec &spec, const std::string &message) {
  ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range, message);
}

void rawTracepoint(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                   std::vector<ProbeSpec> &out) {
  // rawtracepoint:event or rawtracepoint:module:event (the module is not needed to find
  // the event in vmlinux BTF).
  if (parts.size() < 2 || parts.size() > 3 || parts.back().empty())
    return invalid(ctx, spec, "rawtracepoint probe must have the form rawtracepoint[:module]:event");
  const std::string &event = parts.back();
  std::vector<std::string> events =
      hasGlob(event) ? ctx.types.rawTracepoints(event) : std::vector<std::string>{event};
  if (events.empty())
    return reportMissing(ctx, spec, DiagId::ProbeTargetNotFound,
                         "No raw tracepoints matched: " + event);
  for (const auto &ev : events) {
    ProbeSpec s = spec;
    s.func = ev;
    s.name = "rawtracepoint:" + ev;
    btf::FuncInfo info;
    std::string error;
    if (ctx.types.rawTracepoint(ev, info, error)) {
      s.args = argsRecord("rawtracepoint " + ev + " args", info, false);
    } else if (!ctx.types.tracepoints("*", ev).empty()) {
      s.raw_tp = true; // no BTF for it: raw_tp, argN only
    } else {
      std::string guess = support::closestMatch(ev, ctx.types.rawTracepoints("*" + ev.substr(0, 3) + "*"));
      reportMissing(ctx, s, DiagId::ProbeTargetNotFound, "rawtracepoint not found: " + ev,
                    guess.empty() ? "" : "did you mean rawtracepoint:" + guess + "?");
      continue;
    }
    out.push_back(std::move(s));
  }
}

// profile:hz:N, profile:s|ms|us:N; a cpu-clock perf event on every CPU.
void profile(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
             std::vector<ProbeSpec> &out) {
  uint64_t n = 0;
  if (parts.size() != 3 || !parseNumber(parts[2], n) || n == 0)
    return invalid(ctx, spec, "profile probe must have the form profile:hz|s|ms|us:N with N > 0");
  const std::string &unit = parts[1];
  spec.perf_type = PERF_TYPE_SOFTWARE;
  spec.perf_config = PERF_COUNT_SW_CPU_CLOCK;
  if (unit == "hz") {
    spec.perf_freq = true;
    spec.perf_period = n;
  } else if (unit == "s" || unit == "ms" || unit == "us") {
    uint64_t scale = unit == "s" ? 1000000000ULL : unit == "ms" ? 1000000ULL : 1000ULL;
    spec.perf_period = n * scale;
  } else {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    "Invalid profile unit: " + unit)
        .hint("use one of hz, s, ms, us");
    return;
  }
  spec.name = "profile:" + unit + ":" + parts[2];
  out.push_back(std::move(spec));
}

// software:EVENT[:COUNT] and hardware:EVENT[:COUNT].
void perfEvent(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
               std::vector<ProbeSpec> &out) {
  bool hw = spec.kind == ProbeKind::Hardware;
  const char *family = hw ? "hardware" : "software";
  if (parts.size() < 2 || parts.size() > 3 || parts[1].empty())
    return invalid(ctx, spec, std::string(family) + " probe must have the form " + family +
                                  ":event[:count]");
  const PerfEventRow *row = nullptr;
  std::vector<std::string> names;
  for (const auto &r : perfEvents()) {
    if ((r.kind == PerfKind::Hardware) != hw)
      continue;
    names.emplace_back(r.name);
    if (parts[1] == r.name || (*r.alias && parts[1] == r.alias))
      row = &r;
  }
  if (!row) {
    auto &d = ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                              std::string("Invalid ") + family + " event: " + parts[1]);
    std::string guess = support::closestMatch(parts[1], names);
    d.hint(guess.empty() ? "the events are: " + support::join(names, ", ")
                         : "did you mean '" + guess + "'?");
    return;
  }
  uint64_t count = row->default_count;
  if (parts.size() == 3 && (!parseNumber(parts[2], count) || count == 0))
    return invalid(ctx, spec, std::string(family) + " count must be a positive integer");
  spec.perf_type = hw ? PERF_TYPE_HARDWARE : PERF_TYPE_SOFTWARE;
  spec.perf_config = row->config;
  spec.perf_period = count;
  spec.name = std::string(family) + ":" + parts[1] + ":" + std::to_string(count);
  out.push_back(std::move(spec));
}

void self(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
          std::vector<ProbeSpec> &out) {
  if (parts.size() != 3 || parts[1] != "signal")
    return invalid(ctx, spec, "self probe must have the form self:signal:SIGUSR1");
  if (parts[2] != "SIGUSR1") {
    ctx.diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                    "Unsupported signal: " + parts[2])
        .hint("self:signal supports only SIGUSR1");
    return;
  }
  spec.name = "self:signal:SIGUSR1";
  out.push_back(std::move(spec));
}

} // namespace

// The args record of a prototype: slot i at offset `offsets[i]` (8*i for BTF-typed
// context arrays, pt_regs registers for kprobes). Parameters without a slot are dropped.
std::shared_ptr<const ast::RecordType> argsRecord(const std::string &name,
                                                  const btf::FuncInfo &info, bool regs) {
  auto rec = std::make_shared<ast::RecordType>();
  rec->name = name;
  for (size_t i = 0; i < info.params.size(); ++i) {
    if (regs && i >= 6)
      break;
    uint32_t offset = regs ? kArgRegOffsets[i] : static_cast<uint32_t>(8 * i);
    rec->fields.push_back({info.params[i].name, info.params[i].type, offset, false});
    rec->size = std::max(rec->size, offset + 8);
  }
  return rec;
}

const std::vector<PerfEventRow> &perfEvents() {
  static const std::vector<PerfEventRow> rows = {
#define PERF_EVENT(kind, name, alias, config, count) {PerfKind::kind, name, alias, config, count},
#include "sema/perf_events.def"
#undef PERF_EVENT
  };
  return rows;
}

bool expandFamily(FamilyContext &ctx, ProbeSpec spec, const std::vector<std::string> &parts,
                  std::vector<ProbeSpec> &out) {
  switch (spec.kind) {
  case ProbeKind::RawTracepoint:
    rawTracepoint(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Profile:
    profile(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Software:
  case ProbeKind::Hardware:
    perfEvent(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Self:
    self(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
    expandKernelFunction(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
    expandUprobe(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Usdt:
    expandUsdt(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Watchpoint:
    expandWatchpoint(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Iter:
    expandIter(ctx, std::move(spec), parts, out);
    return true;
  case ProbeKind::Unknown:
  case ProbeKind::Begin:
  case ProbeKind::End:
  case ProbeKind::Tracepoint:
  case ProbeKind::Interval:
    return false;
  }
  return false;
}

} // namespace scry::sema
