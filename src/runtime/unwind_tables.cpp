// dw_ustack's unwind tables in the kernel. See unwind_tables.h.
#include "runtime/unwind_tables.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <ostream>

#include "symbols/proc_maps.h"

namespace scry::runtime {

namespace {

// Room for the binaries of processes first seen later: 12 MiB of rows (libc has ~25,000).
constexpr uint64_t kSpareRows = 1u << 19;
constexpr uint64_t kMaxRows = 1u << 26;

// The files map's key and value (emit_dw_ustack.cpp).
struct FileKey {
  uint64_t inode;
  uint32_t dev;
  uint32_t pad;
};
struct FileValue {
  uint32_t first, count;
};
// The procs map's value.
constexpr size_t kProcMappings = 64;
struct ProcMapping {
  uint64_t start, end, offset, inode, dev;
};
struct ProcValue {
  uint32_t count, pad;
  ProcMapping mappings[kProcMappings];
};
static_assert(sizeof(ProcValue) == 8 + 64 * 40);

// The kernel's encoding of a device number (MKDEV), as super_block.s_dev holds it.
uint32_t kernelDev(dev_t dev) { return major(dev) << 20 | minor(dev); }

} // namespace

UnwindTables::~UnwindTables() {
  if (rows_)
    munmap(rows_, rows_bytes_);
}

void UnwindTables::addFile(const std::string &path, uint64_t inode, uint32_t dev) {
  if (!seen_.insert({inode, dev}).second)
    return;
  std::vector<symbols::UnwindRow> rows;
  std::string error;
  if (!symbols::buildUnwindTable(path, rows, error) || rows.empty())
    return; // no .eh_frame: stacks end in this binary
  pending_rows_ += rows.size();
  pending_.push_back({inode, dev, std::move(rows)});
}

void UnwindTables::addPath(const std::string &path) {
  struct stat st{};
  if (stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode))
    addFile(path, st.st_ino, kernelDev(st.st_dev));
}

// Each executable file mapping, read through /proc/PID/map_files: the very file mapped,
// whatever mount namespace the process is in, even if it was deleted or replaced since.
void UnwindTables::addMapsOf(int pid) {
  std::vector<symbols::Mapping> files;
  for (symbols::Mapping &m : symbols::readProcMaps(pid)) {
    if (!m.executable || m.inode == 0 || m.path.empty() || m.path[0] != '/')
      continue;
    char path[96];
    std::snprintf(path, sizeof(path), "/proc/%d/map_files/%lx-%lx", pid,
                  static_cast<unsigned long>(m.start), static_cast<unsigned long>(m.end));
    addFile(path, m.inode, m.dev);
    files.push_back(std::move(m));
  }
  if (!files.empty())
    pending_procs_.emplace_back(pid, std::move(files));
}

void UnwindTables::writeProcess(int pid, const std::vector<symbols::Mapping> &maps) {
  ProcValue value{};
  for (const symbols::Mapping &m : maps) {
    if (value.count == kProcMappings)
      break; // later mappings are found by bpf_find_vma only
    value.mappings[value.count++] = {m.start, m.end, m.offset, m.inode, m.dev};
  }
  uint32_t key = static_cast<uint32_t>(pid);
  bpf_map_update_elem(procs_fd_, &key, &value, BPF_ANY); // full: find_vma only
}

void UnwindTables::flush(std::ostream &err) {
  for (Pending &table : pending_)
    write(table, err);
  pending_.clear();
  for (const auto &[pid, maps] : pending_procs_)
    writeProcess(pid, maps);
  pending_procs_.clear();
}

void UnwindTables::prepare(bpf_object *bpf, const object::BpfObject &object,
                           const std::vector<std::string> &paths, const std::vector<int> &pids) {
  for (const std::string &path : object.unwind_binaries)
    addPath(path);
  for (const std::string &path : paths)
    addPath(path);
  for (int pid : pids)
    addMapsOf(pid);
  capacity_ = static_cast<uint32_t>(std::min(pending_rows_ + kSpareRows, kMaxRows));
  bpf_map *rows = bpf_object__find_map_by_name(bpf, object.unwind_rows_map.c_str());
  if (!rows)
    return; // fill() reports it
  bpf_map__set_max_entries(rows, capacity_);
  bpf_map__set_map_flags(rows, bpf_map__map_flags(rows) | BPF_F_MMAPABLE);
}

bool UnwindTables::fill(bpf_object *bpf, const object::BpfObject &object, std::ostream &err) {
  bpf_map *rows = bpf_object__find_map_by_name(bpf, object.unwind_rows_map.c_str());
  bpf_map *files = bpf_object__find_map_by_name(bpf, object.unwind_files_map.c_str());
  bpf_map *procs = bpf_object__find_map_by_name(bpf, object.unwind_procs_map.c_str());
  if (!rows || !files || !procs) {
    err << "ERROR: dw_ustack: the BPF object has no unwind-table maps\n";
    return false;
  }
  long page = sysconf(_SC_PAGESIZE);
  rows_bytes_ = (uint64_t{capacity_} * sizeof(symbols::UnwindRow) + page - 1) / page * page;
  void *mem = mmap(nullptr, rows_bytes_, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(rows), 0);
  if (mem == MAP_FAILED) {
    err << "ERROR: dw_ustack: cannot map the unwind rows: " << std::strerror(errno) << "\n";
    return false;
  }
  rows_ = mem;
  files_fd_ = bpf_map__fd(files);
  procs_fd_ = bpf_map__fd(procs);
  loaded_ = true;
  flush(err);
  return true;
}

void UnwindTables::addProcess(int pid, std::ostream &err) {
  if (!loaded_)
    return;
  addMapsOf(pid);
  flush(err);
}

// Rows first, then the file's entry that makes them reachable.
bool UnwindTables::write(Pending &table, std::ostream &err) {
  uint64_t n = table.rows.size();
  FileKey key{table.inode, table.dev, 0};
  FileValue value{used_, static_cast<uint32_t>(n)};
  if (uint64_t{used_} + n > capacity_) {
    if (!warned_full_)
      err << "WARNING: dw_ustack: no room left for more unwind tables (" << capacity_
          << " rows); stacks end in binaries loaded from now on\n";
    warned_full_ = true;
    return false;
  }
  std::memcpy(static_cast<char *>(rows_) + uint64_t{used_} * sizeof(symbols::UnwindRow),
              table.rows.data(), n * sizeof(symbols::UnwindRow));
  if (bpf_map_update_elem(files_fd_, &key, &value, BPF_ANY) != 0) {
    if (!warned_full_)
      err << "WARNING: dw_ustack: cannot add an unwind table: " << std::strerror(errno) << "\n";
    warned_full_ = true;
    return false;
  }
  used_ += static_cast<uint32_t>(n);
  return true;
}

} // namespace scry::runtime
