// The type source over the running kernel (or a fixture tree in tests): tracefs format
// files for tracepoint args, vmlinux BTF for the types they name. Sema asks it; nothing
// is read before the first question.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <string>

#include "btf/btf_types.h"
#include "btf/kernel_vars.h"
#include "btf/tracefs.h"
#include "btf/tracepoint_args.h"
#include "btf/type_source.h"
#include "support/strings.h"

namespace scry::btf {

namespace {

constexpr const char *kVmlinuxBtf = "/sys/kernel/btf/vmlinux";

class KernelTypeSource : public TypeSource {
public:
  KernelTypeSource(std::string tracefs_root, std::string btf_path)
      : explicit_root_(!tracefs_root.empty()), root_(std::move(tracefs_root)),
        btf_(btf_path.empty() ? kVmlinuxBtf : std::move(btf_path)) {}

  std::shared_ptr<const ast::RecordType> tracepointArgs(const std::string &category,
                                                        const std::string &event,
                                                        std::string &error) override;
  bool hasTracepoint(const std::string &category, const std::string &event) override;
  std::vector<std::string> tracepoints(std::string_view category_glob,
                                       std::string_view event_glob) override;
  std::shared_ptr<const ast::RecordType> kernelRecord(const std::string &name, ast::AddrSpace as,
                                                      std::string &error) override;
  bool kernelFunction(const std::string &name, FuncInfo &out, std::string &error) override {
    return funcs_.function(name, out, error);
  }
  bool rawTracepoint(const std::string &event, FuncInfo &out, std::string &error) override {
    return funcs_.rawTracepoint(event, out, error);
  }
  bool hasRawTracepoint(const std::string &event) override {
    return funcs_.hasRawTracepoint(event);
  }
  std::vector<std::string> kernelFunctions(std::string_view glob) override {
    return funcs_.functions(glob);
  }
  std::vector<std::string> rawTracepoints(std::string_view glob) override {
    return funcs_.rawTracepoints(glob);
  }
  bool kfuncAllowed(const std::string &name, KfuncProgType type, bool &allowed,
                    std::string &error) override {
    return probeKfuncAllowed(btf_, name, type, allowed, error); // kfunc_probe.cpp
  }
  std::string dumpRecord(const std::string &name, std::string &error) override {
    return funcs_.dumpRecord(name, error);
  }
  bool kernelVariable(const std::string &name, std::string &shape, std::string &error) override {
    return kernelVariableShape(btf_, name, shape, error); // percpu_kaddr()
  }

private:
  // The tracefs root, mounting tracefs at the default root on first use; "" with
  // `error` set when it is unavailable.
  const std::string &root(std::string &error);

  bool explicit_root_;
  std::string root_;
  bool root_checked_ = false;
  std::string root_error_;
  BtfTypes btf_;
  KernelFuncs funcs_{btf_};
  std::map<std::string, std::shared_ptr<const ast::RecordType>> args_; // by "cat:event"
};

const std::string &KernelTypeSource::root(std::string &error) {
  if (!explicit_root_ && !root_checked_) {
    root_checked_ = true;
    root_ = ensureTracefs(root_error_);
  }
  if (root_.empty())
    error = root_error_;
  return root_;
}

std::shared_ptr<const ast::RecordType> KernelTypeSource::tracepointArgs(const std::string &category,
                                                                        const std::string &event,
                                                                        std::string &error) {
  std::string key = category + ":" + event;
  if (auto it = args_.find(key); it != args_.end())
    return it->second;
  if (!isEventName(category) || !isEventName(event)) {
    error = "tracepoint not found: " + key;
    return nullptr;
  }
  const std::string &tracefs = root(error);
  if (tracefs.empty())
    return nullptr;
  std::string path = tracefs + "/events/" + category + "/" + event + "/format";
  std::string text;
  int err = 0;
  if (!readWholeFile(path, text, err)) {
    if (err == ENOENT || err == ENOTDIR)
      error = "tracepoint not found: " + key;
    else
      error = "cannot read " + path + ": " + std::strerror(err) +
              (err == EACCES || err == EPERM ? " (scry needs root)" : "");
    return nullptr;
  }
  auto rec = buildTracepointArgs(category, event, text, btf_, error);
  if (rec)
    args_.emplace(std::move(key), rec);
  return rec;
}

bool KernelTypeSource::hasTracepoint(const std::string &category, const std::string &event) {
  if (args_.count(category + ":" + event))
    return true;
  std::string error;
  const std::string &tracefs = root(error);
  return !tracefs.empty() && isEventName(category) && isEventName(event) &&
         isDirectory(tracefs + "/events/" + category + "/" + event);
}

std::vector<std::string> KernelTypeSource::tracepoints(std::string_view category_glob,
                                                       std::string_view event_glob) {
  std::vector<std::string> out;
  std::string error;
  const std::string &tracefs = root(error);
  if (tracefs.empty())
    return out;
  std::string events = tracefs + "/events";
  for (const auto &category : listSubdirs(events)) {
    if (!support::globMatch(category_glob, category))
      continue;
    for (const auto &event : listSubdirs(events + "/" + category))
      if (support::globMatch(event_glob, event))
        out.push_back(category + ":" + event);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::shared_ptr<const ast::RecordType>
KernelTypeSource::kernelRecord(const std::string &name, ast::AddrSpace as, std::string &error) {
  if (!btf_.load(error))
    return nullptr;
  uint32_t id = 0;
  if (name.rfind("struct ", 0) == 0)
    id = btf_.find(BtfTypes::Space::Struct, std::string_view(name).substr(7));
  else if (name.rfind("union ", 0) == 0)
    id = btf_.find(BtfTypes::Space::Union, std::string_view(name).substr(6));
  else
    id = btf_.find(BtfTypes::Space::Typedef, name);
  ast::Type t = id ? btf_.toType(id, as, true) : ast::Type::none();
  if (!t.isRecord()) {
    error =
        id ? "'" + name + "' is not a struct or union" : "kernel BTF has no type '" + name + "'";
    return nullptr;
  }
  return btf_.record(id, as, true, t.recordType().name);
}

} // namespace

std::unique_ptr<TypeSource> makeKernelTypeSource(std::string tracefs_root, std::string btf_path) {
  return std::make_unique<KernelTypeSource>(std::move(tracefs_root), std::move(btf_path));
}

} // namespace scry::btf
