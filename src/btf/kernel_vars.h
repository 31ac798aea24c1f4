// Kernel variables (BTF VARs, such as the per-CPU `runqueues`) for typed ksyms: an
// extern variable in a BPF object's .ksyms section is resolved by libbpf 1.1 against
// vmlinux BTF only when its own BTF type is compatible with the kernel's, which libbpf
// decides by kind alone for structs, unions, enums and integers and recursively through
// pointers and arrays. A shape records just that, as a string codegen turns back into
// debug info (module_kfuncs.cpp):
//   s struct, u union, e enum, i integer, v void, p<shape> pointer, a<shape> array.
#pragma once

#include <string>

#include "btf/btf_types.h"

namespace scry::btf {

// The shape of kernel variable `name`'s type; false with `error` set when BTF cannot
// be loaded, has no such variable, or its type has no shape (floats, functions).
bool kernelVariableShape(BtfTypes &btf, const std::string &name, std::string &shape,
                         std::string &error);

} // namespace scry::btf
