// C++ (Itanium ABI) symbol demangling, for user stack frames, usym() and uprobe
// listings. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>

namespace scry::support {

// The demangled form of `mangled` ("_ZN3foo3barEi" -> "foo::bar(int)"), or `mangled`
// unchanged when it is not a mangled C++ name or does not demangle.
std::string demangle(std::string_view mangled);

} // namespace scry::support
