// A small kernel-like BTF written at test time with libbpf's writer API, holding the
// typedefs and structs the format-file fixtures under fixtures/events/ name.
#pragma once

#include <string>

namespace scry::btf::fixture {

// Writes the raw BTF to `path`; returns false when libbpf or the write fails.
//
// Contents (a subset of Linux 6.18's vmlinux BTF, some structs trimmed):
//   typedefs  __u32 u32 __u64 u64 umode_t __kernel_pid_t pid_t __kernel_size_t size_t
//             dev_t bool cap_user_header_t cap_user_data_t (pointers to structs)
//   structs   open_how, __user_cap_header_struct, __user_cap_data_struct, inode,
//             cred, llist_node, file (anonymous union, bitfield, char array, pointers),
//             mm_struct (a forward declaration first, then the definition),
//             in6_addr (a named member of anonymous union type)
//   absent    errseq_t, struct maple_tree (to exercise the fallbacks)
bool writeTestBtf(const std::string &path);

// A fresh empty directory under $TMPDIR (or /tmp).
std::string makeTempDir();

} // namespace scry::btf::fixture
