// A TypeSource with hand-made tracepoints, so sema and codegen tests need no kernel:
// syscalls:sys_enter_openat, sched:sched_switch and sock:inet_sock_set_state (subsets
// of their fields).
#pragma once

#include <map>

#include "btf/type_source.h"
#include "support/strings.h"

namespace scry::testing {

class FakeTypes : public btf::TypeSource {
public:
  FakeTypes() {
    using ast::Type;
    auto openat = std::make_shared<ast::RecordType>();
    openat->name = "struct _tracepoint_syscalls_sys_enter_openat";
    openat->size = 48;
    openat->fields = {
        {"__syscall_nr", Type::integer(32, true), 8, false},
        {"dfd", Type::integer(64, true), 16, false},
        {"filename", Type::pointer(Type::integer(8, true), ast::AddrSpace::User), 24, false},
        {"flags", Type::integer(64, true), 32, false},
        {"mode", Type::integer(64, false), 40, false},
    };
    records_["syscalls:sys_enter_openat"] = openat;
    auto sw = std::make_shared<ast::RecordType>();
    sw->name = "struct _tracepoint_sched_sched_switch";
    sw->size = 64;
    sw->fields = {
        {"prev_comm", Type::string(16), 8, false},
        {"prev_pid", Type::integer(32, true), 24, false},
        {"next_comm", Type::string(16), 40, false},
        {"next_pid", Type::integer(32, true), 56, false},
    };
    records_["sched:sched_switch"] = sw;
    // Address arrays, for ntop() and macaddr() (strings_test.cpp).
    auto inet = std::make_shared<ast::RecordType>();
    inet->name = "struct _tracepoint_sock_inet_sock_set_state";
    inet->size = 72;
    inet->fields = {
        {"skaddr", Type::pointer(Type::integer(8, false), ast::AddrSpace::Kernel), 8, false},
        {"family", Type::integer(16, false), 28, false},
        {"saddr", Type::array(Type::integer(8, false), 4), 32, false},
        {"saddr_v6", Type::array(Type::integer(8, false), 16), 40, false},
        {"sport", Type::integer(16, false), 24, false},
    };
    records_["sock:inet_sock_set_state"] = inet;
  }

  std::shared_ptr<const ast::RecordType> tracepointArgs(const std::string &category,
                                                        const std::string &event,
                                                        std::string &error) override {
    auto it = records_.find(category + ":" + event);
    if (it == records_.end()) {
      error = "tracepoint not found: " + category + ":" + event;
      return nullptr;
    }
    return it->second;
  }
  bool hasTracepoint(const std::string &category, const std::string &event) override {
    return records_.count(category + ":" + event) != 0;
  }
  std::vector<std::string> tracepoints(std::string_view category_glob,
                                       std::string_view event_glob) override {
    std::vector<std::string> out;
    for (const auto &[name, rec] : records_) {
      size_t colon = name.find(':');
      if (support::globMatch(category_glob, name.substr(0, colon)) &&
          support::globMatch(event_glob, name.substr(colon + 1)))
        out.push_back(name);
    }
    return out;
  }

  // struct task_struct { ...; int pid @100; char comm[16] @200;
  //                      struct task_struct *real_parent @300; }
  // and what dw_ustack reads of a VMA, a file, an inode and a super_block.
  std::shared_ptr<const ast::RecordType> kernelRecord(const std::string &name, ast::AddrSpace,
                                                      std::string &error) override {
    static const std::map<std::string, std::vector<std::pair<const char *, uint32_t>>> kVfs = {
        {"struct vm_area_struct", {{"vm_start", 0}, {"vm_pgoff", 136}, {"vm_file", 144}}},
        {"struct file", {{"f_inode", 32}}},
        {"struct inode", {{"i_ino", 64}, {"i_sb", 40}}},
        {"struct super_block", {{"s_dev", 16}}},
    };
    if (auto it = kVfs.find(name); it != kVfs.end()) {
      auto record = std::make_shared<ast::RecordType>();
      record->name = name;
      record->size = 512;
      for (const auto &[field, offset] : it->second)
        record->fields.push_back({field, ast::Type::integer(64, false), offset, false});
      return record;
    }
    if (name != "struct task_struct") {
      error = "no type named '" + name + "' in BTF";
      return nullptr;
    }
    auto opaque = std::make_shared<ast::RecordType>();
    opaque->name = "struct task_struct";
    opaque->size = 4096;
    auto task = std::make_shared<ast::RecordType>(*opaque);
    task->fields = {
        {"pid", ast::Type::integer(32, true), 100, false},
        {"comm", ast::Type::string(16), 200, false},
        {"real_parent",
         ast::Type::pointer(ast::Type::record(opaque), ast::AddrSpace::Kernel), 300, false},
    };
    return task;
  }

private:
  std::map<std::string, std::shared_ptr<const ast::RecordType>> records_;
};

} // namespace scry::testing
