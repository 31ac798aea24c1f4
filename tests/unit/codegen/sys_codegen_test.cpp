// Codegen of the time, process and system functions: the metadata the runtime needs to
// act on their records (formats, join layout, errorf locations, resolved value types),
// and an object libbpf opens. Hermetic: nothing is loaded.
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include "../sema/fake_types.h"
#include "codegen/codegen.h"
#include "parser/parse.h"

namespace scry {
namespace {

struct Compiled {
  object::BpfObject object;
  std::string error;
  bool ok = false;

  explicit Compiled(const std::string &text) {
    diag::SourceFile file("stdin", text);
    diag::Diagnostics diags(&file);
    ast::Context ctx;
    testing::FakeTypes types;
    auto *program = parser::parse(file, ctx, diags);
    auto probes = sema::expandAttachPoints(*program, types, diags);
    auto analysis =
        sema::resolveTypes(*program, ctx, probes, sema::Inputs{&types, {}, {}, true}, diags);
    EXPECT_EQ(diags.errorCount(), 0u) << (diags.all().empty() ? "" : diags.all()[0].message);
    codegen::Options options;
    options.start_boot_ns = 1000;
    ok = codegen::compile(*program, probes, analysis, file, options, object, error);
  }
};

TEST(SysCodegen, RecordsDescribeTheirCalls) {
  Compiled c("config = { max_cat_bytes = 99 } "
             "BEGIN { time(); time(\"%Y\"); cat(\"/proc/%d/comm\", pid); "
             "system(\"echo %s\", comm); errorf(\"e %d\", 1);\n  warnf(\"w\"); exit(); } "
             "tracepoint:syscalls:sys_enter_openat { join(args.filename, \",\"); signal(\"KILL\"); }");
  ASSERT_TRUE(c.ok) << c.error;
  const object::BpfObject &o = c.object;
  EXPECT_EQ(o.time_formats, (std::vector<std::string>{"%H:%M:%S\n", "%Y"}));
  ASSERT_EQ(o.cats.size(), 1u);
  EXPECT_EQ(o.cats[0].format, "/proc/%d/comm");
  EXPECT_EQ(o.cats[0].offsets, std::vector<uint32_t>{8});
  EXPECT_EQ(o.max_cat_bytes, 99u);
  ASSERT_EQ(o.systems.size(), 1u);
  EXPECT_EQ(o.systems[0].args.at(0).kind, object::ValueKind::String);
  ASSERT_EQ(o.joins.size(), 1u);
  EXPECT_EQ(o.joins[0].separator, ",");
  EXPECT_EQ(o.joins[0].max_args, 16u);
  EXPECT_EQ(o.joins[0].arg_size, 1024u); // max_strlen
  ASSERT_EQ(o.errorfs.size(), 2u);
  EXPECT_TRUE(o.errorfs[0].is_error);
  EXPECT_EQ(o.errorfs[0].printf.format, "e %d");
  EXPECT_EQ(o.errorfs[0].location, "stdin:1:113-130");
  EXPECT_FALSE(o.errorfs[1].is_error);
  EXPECT_EQ(o.errorfs[1].location, "stdin:2:3-13");
  EXPECT_EQ(o.errorfs[1].line, 2u);
  EXPECT_EQ(o.errorfs[1].col, 3u);
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "scry");
  bpf_object *obj = bpf_object__open_mem(o.elf.data(), o.elf.size(), &opts);
  EXPECT_NE(obj, nullptr);
  bpf_object__close(obj);
}

TEST(SysCodegen, ResolvedValuesKeepTheirFormat) {
  Compiled c("BEGIN { printf(\"%s %s\\n\", username, cgroup_path(cgroup, \"uni*\")); "
             "print(strftime(\"%H\", nsecs)); print(strftime(\"%k\", nsecs(tai))); "
             "@[username] = elapsed + nsecs(sw_tai) + nsecs(monotonic); exit(); }");
  ASSERT_TRUE(c.ok) << c.error;
  const object::BpfObject &o = c.object;
  ASSERT_EQ(o.printfs.size(), 1u);
  EXPECT_EQ(o.printfs[0].args.at(0).kind, object::ValueKind::Username);
  EXPECT_EQ(o.printfs[0].args.at(1).kind, object::ValueKind::CgroupPath);
  EXPECT_EQ(o.printfs[0].args.at(1).text, "uni*");
  ASSERT_EQ(o.print_values.size(), 2u);
  EXPECT_EQ(o.print_values[0].kind, object::ValueKind::Timestamp);
  EXPECT_EQ(o.print_values[0].text, "%H");
  EXPECT_TRUE(o.print_values[0].boot_clock);
  EXPECT_FALSE(o.print_values[1].boot_clock); // TAI counts from the epoch
  ASSERT_EQ(o.maps.size(), 1u);
  EXPECT_EQ(o.maps[0].key.kind, object::ValueKind::Username);
  EXPECT_EQ(o.maps[0].key_size, 8u);
}

} // namespace
} // namespace scry
