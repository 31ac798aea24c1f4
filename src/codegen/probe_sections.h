// Per probe family: the object::ProbeType the runtime attaches by, the ELF section that
// tells libbpf the program type (and, for tp_btf/fentry, the BTF attach target), and the
// ProgramDesc fields the runtime needs. Private to src/codegen.
#pragma once

#include <string>

#include "object/object.h"
#include "sema/sema.h"

namespace scry::codegen {

object::ProbeType probeTypeFor(const sema::ProbeSpec &spec);
std::string sectionFor(const sema::ProbeSpec &spec);
// Fills type, probe_name, target and the family's fields of `desc` from `spec`.
void describeProgram(const sema::ProbeSpec &spec, object::ProgramDesc &desc);
// Whether programs of this type run in scry's own context (BPF_PROG_TEST_RUN).
bool runsInProcess(object::ProbeType type);

} // namespace scry::codegen
