// The kernel type source on fixtures: format files copied from Linux 6.18's tracefs
// (fixtures/events/) and a BTF file the test writes (test_btf.cpp). No root, no kernel.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "btf/btf_types.h"
#include "btf/type_source.h"
#include "test_btf.h"

using namespace scry;
using namespace scry::btf;
using ast::AddrSpace;
using ast::Type;

namespace fs = std::filesystem;

namespace {

class TypeSourceTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    tmp_ = fixture::makeTempDir();
    ASSERT_FALSE(tmp_.empty());
    btf_path_ = tmp_ + "/vmlinux.btf";
    ASSERT_TRUE(fixture::writeTestBtf(btf_path_));
  }
  static void TearDownTestSuite() { fs::remove_all(tmp_); }

  void SetUp() override { source_ = makeKernelTypeSource(SCRY_BTF_FIXTURES, btf_path_); }

  std::shared_ptr<const ast::RecordType> args(const char *cat, const char *event) {
    std::string error;
    auto rec = source_->tracepointArgs(cat, event, error);
    EXPECT_TRUE(rec) << error;
    return rec;
  }

  // A fresh tracefs-like tree holding one format file with `fields`.
  static std::string writeFormat(const std::string &dir, const std::string &fields) {
    fs::create_directories(dir + "/events/test/ev");
    std::ofstream(dir + "/events/test/ev/format")
        << "name: ev\nID: 1\nformat:\n"
        << "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n\n"
        << fields << "\nprint fmt: \"\"\n";
    return dir;
  }

  static inline std::string tmp_;
  static inline std::string btf_path_;
  std::unique_ptr<TypeSource> source_;
};

const ast::Field &field(const ast::RecordType &rec, const char *name) {
  static const ast::Field missing{"<missing>", Type::none(), 0, false};
  const ast::Field *f = rec.find(name);
  EXPECT_TRUE(f) << rec.name << " has no field " << name;
  return f ? *f : missing;
}

} // namespace

TEST_F(TypeSourceTest, SyscallOpenatUsesFormatLayoutAndUserPointers) {
  auto rec = args("syscalls", "sys_enter_openat");
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->name, "struct _tracepoint_syscalls_sys_enter_openat");
  EXPECT_EQ(rec->size, 48u);
  ASSERT_EQ(rec->fields.size(), 5u);
  EXPECT_EQ(rec->fields[0].name, "__syscall_nr");
  EXPECT_EQ(rec->fields[0].type, Type::integer(32, true));
  // int in an 8-byte slot: read as the declared int (AT_FDCWD is -100).
  EXPECT_EQ(field(*rec, "dfd").type, Type::integer(32, true));
  const auto &filename = field(*rec, "filename");
  EXPECT_EQ(filename.offset, 24u);
  ASSERT_TRUE(filename.type.isPointer());
  EXPECT_EQ(filename.type.pointee(), Type::integer(8, true));
  EXPECT_EQ(filename.type.addrSpace(), AddrSpace::User);
  // umode_t is 2 bytes; the syscall wrapper stores 8, the low 2 are the value.
  EXPECT_EQ(field(*rec, "mode").type, Type::integer(16, false));
  EXPECT_EQ(field(*rec, "mode").offset, 40u);
}

TEST_F(TypeSourceTest, SchedSwitchStringsAndTypedefs) {
  auto rec = args("sched", "sched_switch");
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->size, 64u);
  EXPECT_EQ(field(*rec, "prev_comm").type, Type::string(16));
  EXPECT_EQ(field(*rec, "prev_comm").offset, 8u);
  EXPECT_EQ(field(*rec, "prev_pid").type, Type::integer(32, true));
  EXPECT_EQ(field(*rec, "prev_state").type, Type::integer(64, true));
  EXPECT_EQ(field(*rec, "next_comm").offset, 40u);
  EXPECT_EQ(field(*rec, "next_prio").offset, 60u);
}

TEST_F(TypeSourceTest, DataLocString) {
  auto rec = args("sched", "sched_process_exec");
  ASSERT_TRUE(rec);
  const auto &filename = field(*rec, "filename");
  EXPECT_TRUE(filename.data_loc);
  EXPECT_EQ(filename.type, Type::string(kDefaultMaxStrlen));
  EXPECT_EQ(filename.offset, 8u);
  EXPECT_FALSE(field(*rec, "pid").data_loc);
  EXPECT_EQ(rec->size, 20u);
}

TEST_F(TypeSourceTest, ArrayFieldNeedsNoBtf) {
  // No BTF file at all: raw_syscalls:sys_enter names no typedef, so BTF is never read.
  source_ = makeKernelTypeSource(SCRY_BTF_FIXTURES, tmp_ + "/no-such-btf");
  auto rec = args("raw_syscalls", "sys_enter");
  ASSERT_TRUE(rec);
  EXPECT_EQ(field(*rec, "id").type, Type::integer(64, true));
  EXPECT_EQ(field(*rec, "args").type, Type::array(Type::integer(64, false), 6));
  EXPECT_EQ(field(*rec, "args").offset, 16u);
  EXPECT_EQ(rec->size, 64u);

  std::string error;
  // Common integer typedefs (pid_t) are typed from the format file alone.
  EXPECT_TRUE(source_->tracepointArgs("sched", "sched_switch", error)) << error;
  EXPECT_FALSE(source_->tracepointArgs("syscalls", "sys_enter_capget", error));
  EXPECT_EQ(error, "tracepoint syscalls:sys_enter_capget: field 'header': cannot load kernel BTF from " +
                       tmp_ +
                       "/no-such-btf: No such file or directory (scry types kernel data through "
                       "BTF: use a kernel built with CONFIG_DEBUG_INFO_BTF=y, or point "
                       "BPFTRACE_BTF at a BTF file)");
}

TEST_F(TypeSourceTest, StructPointerGetsFieldsOneLevelDeep) {
  auto rec = args("syscalls", "sys_enter_openat2");
  ASSERT_TRUE(rec);
  const auto &how = field(*rec, "how").type;
  ASSERT_TRUE(how.isPointer());
  EXPECT_EQ(how.addrSpace(), AddrSpace::User);
  ASSERT_TRUE(how.pointee().isRecord());
  const auto &open_how = how.pointee().recordType();
  EXPECT_EQ(open_how.name, "struct open_how");
  EXPECT_EQ(open_how.size, 24u);
  EXPECT_EQ(field(open_how, "resolve").offset, 16u);
  EXPECT_EQ(field(open_how, "resolve").type, Type::integer(64, false));
  EXPECT_EQ(field(*rec, "usize").type, Type::integer(64, false));
}

TEST_F(TypeSourceTest, TypedefOfStructPointer) {
  auto rec = args("syscalls", "sys_enter_capget");
  ASSERT_TRUE(rec);
  const auto &data = field(*rec, "dataptr").type;
  ASSERT_TRUE(data.isPointer());
  EXPECT_EQ(data.addrSpace(), AddrSpace::User);
  ASSERT_TRUE(data.pointee().isRecord());
  EXPECT_EQ(data.pointee().recordType().name, "struct __user_cap_data_struct");
  EXPECT_EQ(field(data.pointee().recordType(), "inheritable").offset, 8u);
}

TEST_F(TypeSourceTest, PointerToPointer) {
  auto rec = args("syscalls", "sys_enter_execve");
  ASSERT_TRUE(rec);
  const auto &argv = field(*rec, "argv").type;
  ASSERT_TRUE(argv.isPointer() && argv.pointee().isPointer());
  EXPECT_EQ(argv.pointee().pointee(), Type::integer(8, true));
  EXPECT_EQ(argv.pointee().addrSpace(), AddrSpace::User);
}

TEST_F(TypeSourceTest, KernelStructPointers) {
  auto rec = args("mmap", "exit_mmap");
  ASSERT_TRUE(rec);
  const auto &mm = field(*rec, "mm").type;
  ASSERT_TRUE(mm.isPointer());
  EXPECT_EQ(mm.addrSpace(), AddrSpace::Kernel);
  // The definition wins over the earlier forward declaration.
  const auto &mm_struct = mm.pointee().recordType();
  EXPECT_EQ(mm_struct.size, 16u);
  const auto &exe_file = field(mm_struct, "exe_file").type;
  ASSERT_TRUE(exe_file.isPointer());
  EXPECT_EQ(exe_file.addrSpace(), AddrSpace::Kernel);
  EXPECT_EQ(exe_file.pointee().recordType().name, "struct file");
  EXPECT_EQ(exe_file.pointee().recordType().size, 48u);
  EXPECT_TRUE(exe_file.pointee().recordType().fields.empty()); // one level only
  // Not in BTF: an opaque record.
  const auto &mt = field(*rec, "mt").type;
  EXPECT_EQ(mt.pointee().recordType().name, "struct maple_tree");
  EXPECT_EQ(mt.pointee().recordType().size, 0u);
}

TEST_F(TypeSourceTest, RecordMembers) {
  auto rec = args("filemap", "file_check_and_advance_wb_err");
  ASSERT_TRUE(rec);
  const auto &file = field(*rec, "file").type.pointee().recordType();
  EXPECT_EQ(file.name, "struct file");
  // Members of the anonymous union are reachable directly.
  EXPECT_EQ(field(file, "f_llist").type.recordType().name, "struct llist_node");
  EXPECT_TRUE(field(file, "f_llist").type.recordType().fields.empty());
  EXPECT_EQ(field(file, "f_iocb_flags").offset, 0u);
  EXPECT_EQ(field(file, "f_inode").offset, 8u);
  EXPECT_EQ(field(file, "f_inode").type.pointee().recordType().size, 16u);
  EXPECT_EQ(field(file, "f_flags").type, Type::integer(32, false));
  EXPECT_EQ(file.find("f_mode"), nullptr); // a bitfield
  EXPECT_EQ(field(file, "f_name").type, Type::string(8));
  EXPECT_EQ(field(file, "f_cred").type.pointee().recordType().name, "struct cred");
  EXPECT_EQ(field(file, "f_next").offset, 40u);
  // dev_t through BTF; errseq_t is not in the test BTF and falls back to the format size.
  EXPECT_EQ(field(*rec, "s_dev").type, Type::integer(32, false));
  EXPECT_EQ(field(*rec, "old").type, Type::integer(32, false));
}

TEST_F(TypeSourceTest, UnknownTypedefOfOddSizeIsAnError) {
  std::string root =
      writeFormat(tmp_ + "/odd", "\tfield:weird_t w;\toffset:8;\tsize:12;\tsigned:0;");
  source_ = makeKernelTypeSource(root, btf_path_);
  std::string error;
  EXPECT_FALSE(source_->tracepointArgs("test", "ev", error));
  EXPECT_EQ(error, "tracepoint test:ev: field 'w': unknown type 'weird_t' of size 12");
}

TEST_F(TypeSourceTest, MissingAndUnreadableTracepoints) {
  std::string error;
  EXPECT_FALSE(source_->tracepointArgs("sched", "no_such_event", error));
  EXPECT_EQ(error, "tracepoint not found: sched:no_such_event");
  EXPECT_FALSE(source_->tracepointArgs("..", "sched", error));
  EXPECT_EQ(error, "tracepoint not found: ..:sched");
  EXPECT_FALSE(source_->tracepointArgs("sched", "enable", error)); // a file, not an event
  EXPECT_EQ(error, "tracepoint not found: sched:enable");

  std::string root = tmp_ + "/unreadable";
  fs::create_directories(root + "/events/test/ev/format"); // read() gives EISDIR
  source_ = makeKernelTypeSource(root, btf_path_);
  EXPECT_FALSE(source_->tracepointArgs("test", "ev", error));
  EXPECT_EQ(error, "cannot read " + root + "/events/test/ev/format: Is a directory");
}

TEST_F(TypeSourceTest, ResultsAreCached) {
  auto first = args("sched", "sched_switch");
  auto second = args("sched", "sched_switch");
  EXPECT_EQ(first.get(), second.get());
}

TEST_F(TypeSourceTest, ConstructionReadsNothing) {
  // Neither the tracefs tree nor the BTF file exists when the source is made.
  std::string root = tmp_ + "/late";
  std::string btf = tmp_ + "/late.btf";
  source_ = makeKernelTypeSource(root, btf);
  fs::copy(SCRY_BTF_FIXTURES, root, fs::copy_options::recursive);
  ASSERT_TRUE(fixture::writeTestBtf(btf));
  EXPECT_TRUE(args("syscalls", "sys_enter_openat"));
}

TEST_F(TypeSourceTest, IndexIsBuiltOnFirstLookup) {
  BtfTypes btf(btf_path_);
  EXPECT_FALSE(btf.loaded());
  std::string error;
  ASSERT_TRUE(btf.load(error)) << error;
  EXPECT_FALSE(btf.indexed());
  EXPECT_NE(btf.find(BtfTypes::Space::Typedef, "pid_t"), 0u);
  EXPECT_TRUE(btf.indexed());
  EXPECT_EQ(btf.find(BtfTypes::Space::Struct, "pid_t"), 0u);
}

TEST_F(TypeSourceTest, Globbing) {
  EXPECT_EQ(source_->tracepoints("sched", "*"),
            (std::vector<std::string>{"sched:sched_process_exec", "sched:sched_switch"}));
  EXPECT_EQ(source_->tracepoints("sys*", "sys_enter_open*"),
            (std::vector<std::string>{"syscalls:sys_enter_openat", "syscalls:sys_enter_openat2"}));
  EXPECT_EQ(source_->tracepoints("*", "sys_e?ter").size(), 1u);
  EXPECT_EQ(source_->tracepoints("*", "*").size(), 10u);
  EXPECT_TRUE(source_->tracepoints("nope*", "*").empty());
  EXPECT_TRUE(source_->hasTracepoint("raw_syscalls", "sys_enter"));
  EXPECT_FALSE(source_->hasTracepoint("raw_syscalls", "sys_exit"));
  EXPECT_FALSE(source_->hasTracepoint("sched", "filter"));
  EXPECT_FALSE(source_->hasTracepoint("sched/..", "sched"));
}

TEST_F(TypeSourceTest, KernelRecordByName) {
  std::string error;
  auto file = source_->kernelRecord("struct file", AddrSpace::Kernel, error);
  ASSERT_TRUE(file) << error;
  EXPECT_EQ(field(*file, "f_next").type.pointee().recordType().name, "struct file");
  auto data = source_->kernelRecord("struct __user_cap_data_struct", AddrSpace::User, error);
  ASSERT_TRUE(data) << error;
  EXPECT_EQ(data->size, 12u);
  EXPECT_FALSE(source_->kernelRecord("cap_user_data_t", AddrSpace::User, error));
  EXPECT_EQ(error, "'cap_user_data_t' is not a struct or union");
  EXPECT_FALSE(source_->kernelRecord("struct nope", AddrSpace::Kernel, error));
  EXPECT_EQ(error, "kernel BTF has no type 'struct nope'");
}

// An anonymous record has no name to look it up by later, so a member of anonymous
// type comes with its fields: in6_addr.in6_u.u6_addr8 resolves.
TEST_F(TypeSourceTest, NamedMemberOfAnonymousTypeHasFields) {
  std::string error;
  auto in6 = source_->kernelRecord("struct in6_addr", AddrSpace::Kernel, error);
  ASSERT_TRUE(in6) << error;
  const auto &in6_u = field(*in6, "in6_u").type.recordType();
  EXPECT_EQ(in6_u.name, "union (anonymous)");
  ASSERT_EQ(in6_u.fields.size(), 2u);
  EXPECT_EQ(field(in6_u, "u6_addr8").type, Type::array(Type::integer(8, false), 16));
  EXPECT_EQ(field(in6_u, "u6_addr32").offset, 0u);
}
