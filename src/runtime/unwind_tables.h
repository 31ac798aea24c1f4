// dw_ustack's unwind tables in the kernel (issue 5). The BPF unwinder
// (codegen/emit_dw_ustack.cpp) reads two maps: files, (inode number, device) -> (first
// row, row count), and rows, an mmap-able array of symbols::UnwindRow in which each
// binary's rows are contiguous and sorted; and, for where bpf_find_vma cannot run twice
// (interrupts disabled), procs: tgid -> the process's executable file mappings. Before
// the object is loaded, the tables of the
// binaries known in advance are built (the script's uprobe binaries, -c's command and
// the libraries it needs, what -p's and --dwarf-pid's processes map) and the rows map is
// sized for them plus room for processes first seen in a stack later, whose binaries are
// added while the room lasts. An address in a binary without a table ends its stack.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "object/object.h"
#include "symbols/proc_maps.h"
#include "symbols/unwind_table.h"

struct bpf_object;

namespace scry::runtime {

class UnwindTables {
public:
  UnwindTables() = default;
  UnwindTables(const UnwindTables &) = delete;
  UnwindTables &operator=(const UnwindTables &) = delete;
  ~UnwindTables();

  // Whether the object unwinds with tables at all.
  static bool wanted(const object::BpfObject &object) { return !object.unwind_rows_map.empty(); }

  // Before load: builds the tables of `paths` and of the files `pids` map, and sizes the
  // rows map. Binaries without .eh_frame are skipped (their stacks end there).
  void prepare(bpf_object *bpf, const object::BpfObject &object,
               const std::vector<std::string> &paths, const std::vector<int> &pids);
  // After load: maps the rows and writes every table built so far. False (with an
  // ERROR line) when the maps cannot be reached.
  bool fill(bpf_object *bpf, const object::BpfObject &object, std::ostream &err);
  // A process first seen in a user stack: adds the tables of the executable files it
  // maps that have none yet, while the rows map has room (warns once when it is full).
  void addProcess(int pid, std::ostream &err);

  uint32_t rowsUsed() const { return used_; }

private:
  struct Pending {
    uint64_t inode;
    uint32_t dev;
    std::vector<symbols::UnwindRow> rows;
  };
  void addFile(const std::string &path, uint64_t inode, uint32_t dev);
  void addPath(const std::string &path);
  void addMapsOf(int pid);
  bool write(Pending &table, std::ostream &err);
  void writeProcess(int pid, const std::vector<symbols::Mapping> &maps);
  void flush(std::ostream &err);

  std::set<std::pair<uint64_t, uint32_t>> seen_; // (inode, dev) built or tried
  std::vector<Pending> pending_;                 // built, not yet in the maps
  std::vector<std::pair<int, std::vector<symbols::Mapping>>> pending_procs_;
  uint64_t pending_rows_ = 0;
  uint32_t capacity_ = 0, used_ = 0;
  int files_fd_ = -1, procs_fd_ = -1;
  void *rows_ = nullptr; // the rows map, mmap-ed
  size_t rows_bytes_ = 0;
  bool loaded_ = false, warned_full_ = false;
};

} // namespace scry::runtime
