// BPF iterators: attach (bpf_program__attach_iter), then either run once by reading
// the iterator's seq file, or pin the link. See iter.h and attach_families.h.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <string>

#include "runtime/attach_families.h"
#include "runtime/iter.h"
#include "support/unique_fd.h"

namespace scry::runtime {

namespace {

constexpr const char *kBpffs = "/sys/fs/bpf";
// Bytes per read(): the kernel runs the program over objects until this much text is
// buffered, so the ring buffer is drained every few objects.
constexpr size_t kReadSize = 4096;

// Mounts bpffs at /sys/fs/bpf unless it is there (it is not on the 6.18 VM here).
int ensureBpffs() {
  struct statfs st {};
  if (statfs(kBpffs, &st) == 0 && st.f_type == BPF_FS_MAGIC)
    return 0;
  if (mount("bpf", kBpffs, "bpf", 0, nullptr) != 0)
    return -errno;
  return 0;
}

bool pin(bpf_link *link, const std::string &where) {
  std::string path = where[0] == '/' ? where : std::string(kBpffs) + "/" + where;
  if (path.rfind(std::string(kBpffs) + "/", 0) == 0) {
    if (int err = ensureBpffs()) {
      std::cerr << "ERROR: cannot mount bpffs at " << kBpffs << ": " << std::strerror(-err)
                << "\n";
      return false;
    }
  }
  if (int err = bpf_link__pin(link, path.c_str())) {
    std::cerr << "ERROR: Failed to pin iter probe link at " << path << ": "
              << std::strerror(-err) << "\n";
    if (err == -EEXIST)
      std::cerr << "HINT: remove the old pin first: rm " << path << "\n";
    else if (err == -EINVAL)
      std::cerr << "HINT: the pin must be on a bpf filesystem (mount -t bpf bpf DIR)\n";
    return false;
  }
  std::cout << "Program pinned to " << path << std::endl;
  return true;
}

} // namespace

bool attachIter(bpf_program *prog, const object::ProgramDesc &, LinkSet &links,
                AttachError &error) {
  bpf_link *link = bpf_program__attach_iter(prog, nullptr);
  if (!link) {
    error.reason = std::strerror(errno);
    return false;
  }
  links.links.emplace_back(link);
  return true;
}

bool runIterator(const Attachments &attachments, const object::ProgramDesc &desc,
                 EventPoller &poller, OutputBuffer &out) {
  bpf_link *link = attachments.iterLink();
  if (!link) {
    std::cerr << "ERROR: Failed to attach iter probe '" << desc.probe_name << "'\n";
    return false;
  }
  if (!desc.path.empty())
    return pin(link, desc.path);
  support::UniqueFd iter(bpf_iter_create(bpf_link__fd(link)));
  if (!iter.valid()) {
    std::cerr << "ERROR: Failed to open iter probe link '" << desc.probe_name
              << "': " << std::strerror(errno) << "\n";
    return false;
  }
  char buf[kReadSize];
  while (!poller.exited()) {
    ssize_t n = read(iter.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      std::cerr << "ERROR: reading iter probe '" << desc.probe_name
                << "' failed: " << std::strerror(errno) << "\n";
      return false;
    }
    out.append(std::string_view(buf, static_cast<size_t>(n)));
    poller.consume();
    if (n == 0)
      break;
  }
  out.flush();
  return true;
}

} // namespace scry::runtime
