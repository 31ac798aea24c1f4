// Codegen produces an object libbpf can open, with the programs, sections and maps
// the runtime expects. Hermetic: libbpf opens the ELF without loading it.
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include <sstream>

#include "../sema/fake_types.h"
#include "codegen/codegen.h"
#include "parser/parse.h"

namespace scry {
namespace {

struct Compiled {
  object::BpfObject object;
  std::string error;
  std::ostringstream ir, bpf;
  bool ok = false;

  explicit Compiled(const std::string &text, bool dumps = false) {
    diag::SourceFile file("stdin", text);
    diag::Diagnostics diags(&file);
    ast::Context ctx;
    testing::FakeTypes types;
    auto *program = parser::parse(file, ctx, diags);
    auto probes = sema::expandAttachPoints(*program, types, diags);
    auto analysis = sema::resolveTypes(*program, ctx, probes, diags);
    EXPECT_TRUE(diags.ok());
    codegen::Options options;
    if (dumps) {
      options.dump_ir = &ir;
      options.dump_bpf = &bpf;
    }
    ok = codegen::compile(*program, probes, analysis, file, options, object, error);
  }
};

struct OpenedObject {
  bpf_object *obj = nullptr;
  explicit OpenedObject(const std::vector<char> &elf) {
    LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "scry");
    obj = bpf_object__open_mem(elf.data(), elf.size(), &opts);
  }
  ~OpenedObject() { bpf_object__close(obj); }
};

TEST(Codegen, ObjectOpensWithProgramsAndMaps) {
  Compiled c("BEGIN { printf(\"hi %d\\n\", pid); @x = 1; } "
             "tracepoint:syscalls:sys_enter_openat /comm == \"cat\"/ { "
             "@files[str(args.filename)] = count(); } interval:ms:100 { exit(); }");
  ASSERT_TRUE(c.ok) << c.error;
  ASSERT_EQ(c.object.programs.size(), 3u);
  EXPECT_EQ(c.object.programs[1].target, "syscalls:sys_enter_openat");
  EXPECT_EQ(c.object.printfs.at(0).format, "hi %d\n");
  OpenedObject opened(c.object.elf);
  ASSERT_NE(opened.obj, nullptr);
  for (const auto &p : c.object.programs)
    EXPECT_NE(bpf_object__find_program_by_name(opened.obj, p.function.c_str()), nullptr);
  auto *prog = bpf_object__find_program_by_name(opened.obj, "probe_1");
  EXPECT_STREQ(bpf_program__section_name(prog), "tracepoint/syscalls/sys_enter_openat");
  auto *files = bpf_object__find_map_by_name(opened.obj, "AT_files");
  ASSERT_NE(files, nullptr);
  EXPECT_EQ(bpf_map__type(files), BPF_MAP_TYPE_PERCPU_HASH);
  EXPECT_EQ(bpf_map__key_size(files), 1024u); // str() of max_strlen, off the stack
  EXPECT_EQ(bpf_map__value_size(files), 8u);
  auto *events = bpf_object__find_map_by_name(opened.obj, c.object.ringbuf_map.c_str());
  ASSERT_NE(events, nullptr);
  EXPECT_EQ(bpf_map__type(events), BPF_MAP_TYPE_RINGBUF);
  // Large keys live in per-CPU scratch space.
  EXPECT_NE(bpf_object__find_map_by_name(opened.obj, "scry_scratch1"), nullptr);
}

TEST(Codegen, MapMetadataDescribesLayouts) {
  Compiled c("BEGIN { @a[1, \"x\"] = 2; @c = count(); }");
  ASSERT_TRUE(c.ok) << c.error;
  ASSERT_EQ(c.object.maps.size(), 2u);
  const auto &a = c.object.maps[0];
  EXPECT_EQ(a.name, "@a");
  EXPECT_EQ(a.key.kind, object::ValueKind::Tuple);
  ASSERT_EQ(a.key.offsets.size(), 2u);
  EXPECT_EQ(a.key.offsets[1], 8u);
  EXPECT_EQ(a.key_size, 16u);
  EXPECT_EQ(a.value.kind, object::ValueKind::Int);
  EXPECT_TRUE(a.value.is_signed);
  const auto &cnt = c.object.maps[1];
  EXPECT_TRUE(cnt.per_cpu);
  EXPECT_EQ(cnt.key.kind, object::ValueKind::None);
}

TEST(Codegen, DumpsIrAndBpf) {
  Compiled c("BEGIN { printf(\"%s\\n\", comm); }", true);
  ASSERT_TRUE(c.ok) << c.error;
  EXPECT_NE(c.ir.str().find("define i32 @probe_0"), std::string::npos);
  EXPECT_NE(c.bpf.str().find("call"), std::string::npos);
}

TEST(Codegen, HasBtfLineInfo) {
  Compiled c("BEGIN {\n  printf(\"x\\n\");\n}");
  ASSERT_TRUE(c.ok) << c.error;
  OpenedObject opened(c.object.elf);
  ASSERT_NE(opened.obj, nullptr);
  auto *prog = bpf_object__find_program_by_name(opened.obj, "probe_0");
  // libbpf keeps line info for programs whose object has .BTF.ext.
  EXPECT_NE(bpf_object__btf(opened.obj), nullptr);
  EXPECT_GT(bpf_program__insn_cnt(prog), 0u);
}

} // namespace
} // namespace scry

namespace scry {
namespace {

// Keys past 1 KiB used to make the optimiser merge the zeroing into one memset that
// the BPF backend cannot lower; backend errors must also come back as errors, not exit.
TEST(Codegen, LargeTupleKeysCompile) {
  Compiled c("tracepoint:syscalls:sys_enter_openat { @[comm, str(args.filename)] = count(); }");
  EXPECT_TRUE(c.ok) << c.error;
}

} // namespace
} // namespace scry

#include "runtime/stack_usage.h"

namespace scry {
namespace {

// -d stack reads the deepest r10 offset; large strings stay off the stack.
TEST(Codegen, StackUsageIsReportedAndSmall) {
  Compiled c("BEGIN { @x[1] = 2; } "
             "tracepoint:syscalls:sys_enter_openat { @[str(args.filename)] = count(); }");
  ASSERT_TRUE(c.ok) << c.error;
  auto usage = runtime::stackUsage(c.object);
  ASSERT_EQ(usage.size(), 2u);
  EXPECT_EQ(usage[0].probe_name, "BEGIN");
  EXPECT_GT(usage[0].bytes, 0u);
  EXPECT_LT(usage[1].bytes, 64u); // the 1 KiB key lives in per-CPU scratch space
}

// Regression (04e263e): an element of a tuple held in a map recursed between
// emitBuffer and emitTupleInto until the stack overflowed.
TEST(Codegen, TupleElementsOfAMapValueCompile) {
  Compiled c("BEGIN { @t = (1, (2, \"ab\")); $x = @t.1; printf(\"%d %s\\n\", @t.1.0, @t.1.1); "
             "print($x); }");
  EXPECT_TRUE(c.ok) << c.error;
}

} // namespace
} // namespace scry
