// Where the listing (-l) finds the probes of the families whose names come from the
// kernel beyond tracefs and BTF prototypes (issue 4). Private to src/driver.
#pragma once

#include <string>
#include <vector>

#include "btf/type_source.h"

namespace scry::driver {

// Functions a kprobe can attach to, matching `glob`, sorted: the ftrace list
// (available_filter_functions) when it can be read, else the union of BTF's FUNC
// entries and /proc/kallsyms' text symbols (that file is EPERM on the 6.18 kernel
// here), leaving out compiler-made copies (".cold", ".part.N", "__pfx_").
std::vector<std::string> kprobeFunctions(btf::TypeSource &types, const std::string &glob);

// The iterators matching `glob`, and for -lv the object fields of one (its
// bpf_iter_NAME prototype without the meta argument): "struct task_struct * task".
std::vector<std::string> iterators(btf::TypeSource &types, const std::string &glob);
std::vector<std::string> iteratorArgs(btf::TypeSource &types, const std::string &name);

} // namespace scry::driver
