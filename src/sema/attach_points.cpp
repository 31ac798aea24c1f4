// Attach-point expansion: the first half of the semantic pass. Splits each attach
// point's text into provider and parts, validates the form per probe kind, expands
// tracepoint wildcards and reads the argument layout of every tracepoint named.
#include <charconv>

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
               std::string(ast::probeKindName(spec.kind)) + " probes are not supported yet")
      .hint("watchpoint and iter probes are not supported yet");
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
    diags_.error(DiagId::TracepointNotFound, ap->range,
                 "No tracepoints matched: " + parts[1] + ":" + parts[2]);
    return;
  }
  for (const auto &name : names) {
    size_t colon = name.find(':');
    ProbeSpec s = spec;
    s.category = name.substr(0, colon);
    s.event = name.substr(colon + 1);
    s.name = "tracepoint:" + name;
    std::string error;
    s.args = types_.tracepointArgs(s.category, s.event, error);
    if (!s.args) {
      auto &d = diags_.error(DiagId::TracepointNotFound, ap->range, error);
      if (!wildcard && error.rfind("tracepoint not found", 0) == 0) {
        auto similar = types_.tracepoints(s.category, "*");
        std::string guess = support::closestMatch(s.event, [&] {
          std::vector<std::string> events;
          for (auto &n : similar)
            events.push_back(n.substr(n.find(':') + 1));
          return events;
        }());
        if (!guess.empty())
          d.hint("did you mean tracepoint:" + s.category + ":" + guess + "?");
      }
      return;
    }
    out.push_back(std::move(s));
  }
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

} // namespace

std::vector<ProbeSpec> expandAttachPoints(const ast::Program &program, btf::TypeSource &types,
                                          diag::Diagnostics &diags, const ExpandOptions &options) {
  std::vector<ProbeSpec> out;
  Expander expander(types, diags, options);
  for (auto *probe : program.probes)
    for (auto *ap : probe->attach_points)
      expander.expand(probe, ap, out);
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
