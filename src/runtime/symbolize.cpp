// Symbolisation of kernel and user addresses. See symbolize.h.
#include "runtime/symbolize.h"

namespace scry::runtime {

Symbol Symbolizer::kernel(uint64_t addr) {
  if (!kernel_)
    kernel_ = symbols::KernelSymbols::load();
  std::optional<symbols::KernelHit> hit = kernel_->resolve(addr);
  if (!hit)
    return {};
  return {true, hit->symbol->name, hit->offset, ""};
}

Symbol Symbolizer::user(int pid, uint64_t addr) {
  std::optional<symbols::UserHit> hit = user_.resolve(pid, addr);
  if (!hit)
    return {};
  return {true, std::move(hit->name), hit->offset, std::move(hit->module)};
}

void Symbolizer::capturePid(int pid, const std::string &binary, uint64_t file_base) {
  if (!user_.capture(pid) && !binary.empty())
    user_.setFallback(pid, binary, file_base);
}

Symbolizer &processSymbolizer() {
  static Symbolizer symbolizer;
  return symbolizer;
}

} // namespace scry::runtime
