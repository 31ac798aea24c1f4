// Attach-point expansion: the first half of the semantic pass. Splits each attach
// point's text into provider and parts, validates the form per probe kind, expands
// tracepoint wildcards and reads the argument layout of every tracepoint named.
#include <charconv>

#include "sema/kfuncs.h"
#include "sema/probe_builtins.h"
#include "sema/probe_families.h"
#include "sema/sema.h"
#include "support/strings.h"

namespace scry::sema {

using ast::ProbeKind;
using diag::DiagId;

namespace {

// Splits on ':' outside double quotes, dropping the quotes.
std::vector<std::string> splitParts(const std::string &text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (char c : text) {
    if (c == '"')
      quoted = !quoted;
    else if (c == ':' && !quoted)
      parts.emplace_back();
    else
      parts.back() += c;
  }
  return parts;
}

bool parseUnsigned(const std::string &s, uint64_t &out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

class Expander {
public:
  Expander(btf::TypeSource &types, diag::Diagnostics &diags, const ExpandOptions &options)
      : types_(types), diags_(diags), family_{types, diags, options} {}

  void expand(ast::Probe *probe, const ast::AttachPoint *ap, std::vector<ProbeSpec> &out);

private:
  void tracepoint(ProbeSpec spec, const std::vector<std::string> &parts,
                  std::vector<ProbeSpec> &out);
  bool interval(ProbeSpec &spec, const std::vector<std::string> &parts);
  // Whether `spec` may attach as the raw tracepoint of the same name (ProbeSpec::
  // raw_attach): syscalls:* events are not tracepoints of their own (codegen groups them
  // on raw_tp/sys_enter and sys_exit), and BTF lists the kernel's raw tracepoints.
  bool rawAttachable(const ProbeSpec &spec);
  // "did you mean tracepoint:CATEGORY:EVENT?" for the closest event name, or "".
  std::string similarTracepoint(const std::string &category, const std::string &event);

  btf::TypeSource &types_;
  diag::Diagnostics &diags_;
  FamilyContext family_;
};

void Expander::expand(ast::Probe *probe, const ast::AttachPoint *ap, std::vector<ProbeSpec> &out) {
  auto parts = splitParts(ap->text);
  ProbeSpec spec;
  spec.probe = probe;
  spec.attach_point = ap;
  spec.kind = ast::lookupProbeKind(parts[0]);
  bool special = spec.kind == ProbeKind::Begin || spec.kind == ProbeKind::End;
  if (spec.kind == ProbeKind::Unknown || (special && parts.size() > 1)) {
    auto &d = diags_.error(DiagId::UnknownProbeType, ap->range, "Invalid probe type: " + parts[0]);
    std::string guess = support::closestMatch(parts[0], ast::probeKindNames());
    if (!guess.empty())
      d.hint("did you mean '" + guess + "'?");
    return;
  }
  switch (spec.kind) {
  case ProbeKind::Begin:
  case ProbeKind::End:
    if (parts[0] != "BEGIN" && parts[0] != "END" && parts[0] != "begin" && parts[0] != "end") {
      diags_.error(DiagId::UnknownProbeType, ap->range, "Invalid probe type: " + parts[0])
          .hint("write BEGIN/END or begin/end");
      return;
    }
    spec.name = ast::probeKindName(spec.kind);
    out.push_back(spec);
    return;
  case ProbeKind::Tracepoint:
    tracepoint(spec, parts, out);
    return;
  case ProbeKind::Interval:
    if (interval(spec, parts))
      out.push_back(spec);
    return;
  case ProbeKind::Unknown:
  case ProbeKind::Profile:
  case ProbeKind::Software:
  case ProbeKind::Hardware:
  case ProbeKind::RawTracepoint:
  case ProbeKind::Kprobe:
  case ProbeKind::Kretprobe:
  case ProbeKind::Fentry:
  case ProbeKind::Fexit:
  case ProbeKind::Kfunc:
  case ProbeKind::Kretfunc:
  case ProbeKind::Uprobe:
  case ProbeKind::Uretprobe:
  case ProbeKind::Usdt:
  case ProbeKind::Watchpoint:
  case ProbeKind::Iter:
  case ProbeKind::Self:
    if (expandFamily(family_, spec, parts, out)) // src/sema/attach_*.cpp
      return;
    break;
  }
  diags_.error(DiagId::ProbeUnsupported, ap->range,
               std::string(ast::probeKindName(spec.kind)) + " probes are not supported yet");
}

void Expander::tracepoint(ProbeSpec spec, const std::vector<std::string> &parts,
                          std::vector<ProbeSpec> &out) {
  const ast::AttachPoint *ap = spec.attach_point;
  if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) {
    diags_.error(DiagId::InvalidAttachPoint, ap->range,
                 "tracepoint probe must have the form tracepoint:category:event");
    return;
  }
  std::vector<std::string> names;
  bool wildcard = parts[1].find_first_of("*?") != std::string::npos ||
                  parts[2].find_first_of("*?") != std::string::npos;
  if (wildcard)
    names = types_.tracepoints(parts[1], parts[2]);
  else
    names.push_back(parts[1] + ":" + parts[2]);
  if (names.empty()) {
    reportMissing(family_, spec, DiagId::TracepointNotFound,
                  "No tracepoints matched: " + parts[1] + ":" + parts[2]);
    return;
  }
  // The format files (and BTF, to type them) are read only when the probe reads args:
  // `tracepoint:syscalls:sys_enter_* { @[probe] = count(); }` needs neither (~60 ms
  // of start-up for its 361 tracepoints on 6.18, issue 4).
  bool reads_args = probeReadsArgs(*spec.probe);
  bool calls_kfuncs = probeCallsKfuncs(*spec.probe); // kfuncs are refused in raw_tp
  for (const auto &name : names) {
    size_t colon = name.find(':');
    ProbeSpec s = spec;
    s.category = name.substr(0, colon);
    s.event = name.substr(colon + 1);
    s.name = "tracepoint:" + name;
    std::string error;
    if (!reads_args) {
      if (wildcard || types_.hasTracepoint(s.category, s.event)) {
        s.raw_attach = !calls_kfuncs && rawAttachable(s);
        out.push_back(std::move(s));
      } else
        reportMissing(family_, s, DiagId::TracepointNotFound, "tracepoint not found: " + name,
                      similarTracepoint(s.category, s.event));
      continue;
    }
    s.args = types_.tracepointArgs(s.category, s.event, error);
    if (!s.args) {
      if (error.rfind("tracepoint not found", 0) != 0) { // unreadable, not absent
        diags_.error(DiagId::TracepointNotFound, ap->range, error);
        return;
      }
      reportMissing(family_, s, DiagId::TracepointNotFound, error,
                    wildcard ? "" : similarTracepoint(s.category, s.event));
      continue;
    }
    out.push_back(std::move(s));
  }
}

bool Expander::rawAttachable(const ProbeSpec &spec) {
  if (!family_.options.raw_tracepoint_cookies || spec.category == "syscalls")
    return false;
  return types_.hasRawTracepoint(spec.event);
}

std::string Expander::similarTracepoint(const std::string &category, const std::string &event) {
  std::vector<std::string> events;
  for (const auto &n : types_.tracepoints(category, "*"))
    events.push_back(n.substr(n.find(':') + 1));
  std::string guess = support::closestMatch(event, events);
  return guess.empty() ? "" : "did you mean tracepoint:" + category + ":" + guess + "?";
}

// interval:UNIT:N with UNIT one of s, ms, us, ns, hz.
bool Expander::interval(ProbeSpec &spec, const std::vector<std::string> &parts) {
  const ast::AttachPoint *ap = spec.attach_point;
  uint64_t n = 0;
  if (parts.size() != 3 || !parseUnsigned(parts[2], n) || n == 0) {
    diags_.error(DiagId::InvalidAttachPoint, ap->range,
                 "interval probe must have the form interval:s|ms|us|hz:N with N > 0");
    return false;
  }
  const std::string &unit = parts[1];
  if (unit == "s")
    spec.period_ns = n * 1000000000ULL;
  else if (unit == "ms")
    spec.period_ns = n * 1000000ULL;
  else if (unit == "us")
    spec.period_ns = n * 1000ULL;
  else if (unit == "ns")
    spec.period_ns = n;
  else if (unit == "hz")
    spec.period_ns = 1000000000ULL / n;
  else {
    diags_.error(DiagId::InvalidAttachPoint, ap->range, "Invalid interval unit: " + unit)
        .hint("use one of s, ms, us, ns, hz");
    return false;
  }
  if (spec.period_ns == 0) {
    diags_.error(DiagId::InvalidAttachPoint, ap->range, "interval frequency is too high");
    return false;
  }
  spec.name = "interval:" + unit + ":" + parts[2];
  return true;
}

// An iterator runs once, over its objects, and then the program ends: it cannot be
// combined with probes that wait for events, nor with another iterator (bpftrace's
// rule; BEGIN and END may run around it).
void checkIterAlone(const std::vector<ProbeSpec> &specs, diag::Diagnostics &diags) {
  const ProbeSpec *iter = nullptr;
  for (const auto &spec : specs)
    if (spec.kind == ProbeKind::Iter && !iter)
      iter = &spec;
  if (!iter)
    return;
  for (const auto &spec : specs) {
    if (&spec == iter || spec.kind == ProbeKind::Begin || spec.kind == ProbeKind::End)
      continue;
    diags.error(DiagId::InvalidAttachPoint, spec.attach_point->range,
                "Iterator probe can't be mixed with other probes (" + iter->name +
                    " is in this program)")
        .hint("run the iterator in a script of its own; BEGIN and END may go with it");
    return;
  }
}

} // namespace

std::vector<ProbeSpec> expandAttachPoints(const ast::Program &program, btf::TypeSource &types,
                                          diag::Diagnostics &diags, const ExpandOptions &options) {
  std::vector<ProbeSpec> out;
  Expander expander(types, diags, options);
  for (auto *probe : program.probes)
    for (auto *ap : probe->attach_points)
      expander.expand(probe, ap, out);
  checkIterAlone(out, diags);
  if (out.size() > options.max_probes) {
    diags.error(DiagId::TooManyProbes, out[options.max_probes].attach_point->range,
                "this program has " + std::to_string(out.size()) +
                    " probes, more than the limit of " + std::to_string(options.max_probes))
        .hint("set BPFTRACE_MAX_PROBES to raise the limit; each probe costs kernel memory "
              "and attach time");
  }
  return out;
}

} // namespace scry::sema
