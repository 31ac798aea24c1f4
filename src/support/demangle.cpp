// Demangling through the C++ runtime's abi::__cxa_demangle. See demangle.h.
#include "support/demangle.h"

#include <cxxabi.h>

#include <cstdlib>
#include <memory>

namespace scry::support {

std::string demangle(std::string_view mangled) {
  // Only Itanium names: __cxa_demangle also "demangles" plain words such as "f" or "i"
  // as type names ("float", "int"), which a C symbol must never become.
  if (mangled.size() < 3 || mangled.substr(0, 2) != "_Z")
    return std::string(mangled);
  std::string name(mangled); // __cxa_demangle wants a NUL-terminated string
  int status = 0;
  std::unique_ptr<char, decltype(&std::free)> out(
      abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status), &std::free);
  if (status != 0 || !out)
    return name;
  return out.get();
}

} // namespace scry::support
