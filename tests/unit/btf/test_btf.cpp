// Builds the test BTF with libbpf's writer API (btf__new_empty, btf__add_*) and writes
// btf__raw_data() to a file, so the unit tests need no kernel.
#include "test_btf.h"

#include <bpf/btf.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>

namespace scry::btf::fixture {

namespace {

struct BtfFree {
  void operator()(struct ::btf *b) const { btf__free(b); }
};

// Adds the types; every btf__add_* result is checked through `ok`.
class Builder {
public:
  explicit Builder(struct ::btf *b) : b_(b) {}
  bool ok() const { return ok_; }

  int check(int id) {
    if (ok_ && id <= 0)
      fprintf(stderr, "test BTF: btf__add_* failed with %d after type %u\n", id,
              btf__type_cnt(b_) - 1);
    ok_ = ok_ && id > 0;
    return id;
  }
  int integer(const char *name, size_t size, int enc) {
    return check(btf__add_int(b_, name, size, enc));
  }
  int typedefOf(const char *name, int type) { return check(btf__add_typedef(b_, name, type)); }
  int ptr(int type) { return check(btf__add_ptr(b_, type)); }
  int structOf(const char *name, uint32_t size) { return check(btf__add_struct(b_, name, size)); }
  int unionOf(const char *name, uint32_t size) { return check(btf__add_union(b_, name, size)); }
  void field(const char *name, int type, uint32_t bit_offset, uint32_t bit_size = 0) {
    check(btf__add_field(b_, name, type, bit_offset, bit_size) == 0 ? 1 : -1);
  }

  void build();

private:
  struct ::btf *b_;
  bool ok_ = true;
};

void Builder::build() {
  int int_t = integer("int", 4, BTF_INT_SIGNED);
  int uint_t = integer("unsigned int", 4, 0);
  int ushort_t = integer("short unsigned int", 2, 0);
  int ulong_t = integer("long unsigned int", 8, 0);
  int ullong_t = integer("long long unsigned int", 8, 0);
  int char_t = integer("char", 1, BTF_INT_SIGNED);
  int bool_t = integer("_Bool", 1, BTF_INT_BOOL);

  int u32_t = typedefOf("u32", typedefOf("__u32", uint_t));
  int u64_kernel = typedefOf("__u64", ullong_t);
  typedefOf("u64", u64_kernel);
  typedefOf("umode_t", ushort_t);
  typedefOf("pid_t", typedefOf("__kernel_pid_t", int_t));
  typedefOf("size_t", typedefOf("__kernel_size_t", ulong_t));
  typedefOf("dev_t", u32_t);
  typedefOf("bool", bool_t);

  structOf("open_how", 24);
  field("flags", u64_kernel, 0);
  field("mode", u64_kernel, 64);
  field("resolve", u64_kernel, 128);

  int cap_header = structOf("__user_cap_header_struct", 8);
  field("version", u32_t, 0);
  field("pid", int_t, 32);
  typedefOf("cap_user_header_t", ptr(cap_header));
  int cap_data = structOf("__user_cap_data_struct", 12);
  field("effective", u32_t, 0);
  field("permitted", u32_t, 32);
  field("inheritable", u32_t, 64);
  typedefOf("cap_user_data_t", ptr(cap_data));

  int inode = structOf("inode", 16);
  field("i_ino", ulong_t, 0);
  field("i_size", ullong_t, 64);
  int cred = structOf("cred", 8);
  field("usage", int_t, 0);
  int llist_ptr = ptr(static_cast<int>(btf__type_cnt(b_)) + 1);
  int llist = structOf("llist_node", 8);
  field("next", llist_ptr, 0);

  // struct file { union { struct llist_node f_llist; unsigned int f_iocb_flags; };
  //   struct inode *f_inode; unsigned int f_flags; unsigned int f_mode:4;
  //   char f_name[8]; const struct cred *f_cred; struct file *f_next; }
  // btf__add_field appends to the last type added, so everything `file` refers to comes
  // first; the self pointer names the id `file` is about to get.
  int anon = unionOf(nullptr, 8);
  field("f_llist", llist, 0);
  field("f_iocb_flags", uint_t, 0);
  int name_arr = check(btf__add_array(b_, int_t, char_t, 8));
  int inode_ptr = ptr(inode);
  int cred_ptr = ptr(check(btf__add_const(b_, cred)));
  int file_ptr = ptr(static_cast<int>(btf__type_cnt(b_)) + 1);
  structOf("file", 48);
  field(nullptr, anon, 0);
  field("f_inode", inode_ptr, 64);
  field("f_flags", uint_t, 128);
  field("f_mode", uint_t, 160, 4);
  field("f_name", name_arr, 192);
  field("f_cred", cred_ptr, 256);
  field("f_next", file_ptr, 320);

  // A forward declaration before the definition, as split BTF often has.
  check(btf__add_fwd(b_, "mm_struct", BTF_FWD_STRUCT));
  structOf("mm_struct", 16);
  field("exe_file", file_ptr, 0);
  field("task_size", ulong_t, 64);

  // struct in6_addr { union { __u8 u6_addr8[16]; __u32 u6_addr32[4]; } in6_u; }:
  // a named member whose type is an anonymous union (tcpaccept.bt reads it).
  int u8_t = typedefOf("__u8", integer("unsigned char", 1, 0));
  int addr8 = check(btf__add_array(b_, int_t, u8_t, 16));
  int addr32 = check(btf__add_array(b_, int_t, u32_t, 4));
  int in6_u = unionOf(nullptr, 16);
  field("u6_addr8", addr8, 0);
  field("u6_addr32", addr32, 0);
  structOf("in6_addr", 16);
  field("in6_u", in6_u, 0);
}

} // namespace

bool writeTestBtf(const std::string &path) {
  std::unique_ptr<struct ::btf, BtfFree> b(btf__new_empty());
  if (!b)
    return false;
  Builder builder(b.get());
  builder.build();
  if (!builder.ok())
    return false;
  uint32_t size = 0;
  const void *raw = btf__raw_data(b.get(), &size);
  if (raw == nullptr)
    return false;
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char *>(raw), size);
  return static_cast<bool>(out);
}

std::string makeTempDir() {
  const char *tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/scry_btf_test.XXXXXX";
  char *dir = ::mkdtemp(templ.data());
  return dir ? std::string(dir) : std::string();
}

} // namespace scry::btf::fixture
