// Codegen of find() and write_user() (issue 5, helper "memfuncs"): the generated BPF
// calls the helpers they stand for. Hermetic: the object is opened, never loaded
// (write_user cannot load on a locked-down kernel).
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include "../sema/fake_types.h"
#include "codegen/codegen.h"
#include "parser/parse.h"

namespace scry {
namespace {

// How many times the programs of `text` (checked with --unsafe) call BPF helper `id`.
int helperCalls(const std::string &text, int id) {
  diag::SourceFile file("stdin", text);
  diag::Diagnostics diags(&file);
  ast::Context ctx;
  testing::FakeTypes types;
  auto *program = parser::parse(file, ctx, diags);
  auto probes = sema::expandAttachPoints(*program, types, diags);
  auto analysis =
      sema::resolveTypes(*program, ctx, probes, sema::Inputs{&types, {}, {}, true}, diags);
  EXPECT_EQ(diags.errorCount(), 0u) << (diags.all().empty() ? "" : diags.all()[0].message);
  object::BpfObject out;
  std::string error;
  codegen::Options options;
  EXPECT_TRUE(codegen::compile(*program, probes, analysis, file, options, out, error)) << error;
  LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = "scry");
  bpf_object *obj = bpf_object__open_mem(out.elf.data(), out.elf.size(), &opts);
  EXPECT_NE(obj, nullptr);
  if (!obj)
    return -1;
  int calls = 0;
  bpf_program *prog;
  bpf_object__for_each_program(prog, obj) {
    const bpf_insn *insns = bpf_program__insns(prog);
    for (size_t i = 0; i < bpf_program__insn_cnt(prog); ++i)
      calls += insns[i].code == (BPF_JMP | BPF_CALL) && insns[i].src_reg == 0 &&
               insns[i].imm == id;
  }
  bpf_object__close(obj);
  return calls;
}

TEST(MemfuncsCodegen, WriteUserCallsProbeWriteUser) {
  EXPECT_EQ(helperCalls("tracepoint:syscalls:sys_enter_openat { write_user(0, \"abc\", 3); "
                        "write_user(0, 42, 8); }",
                        36),
            2);
}

TEST(MemfuncsCodegen, FindIsOneLookup) {
  // find adds one bpf_map_lookup_elem (1) to what the probe does anyway (scratch space).
  int base = helperCalls("BEGIN { @m[1] = 2; $v = 0; if (1) { printf(\"%d\", $v); } }", 1);
  EXPECT_EQ(helperCalls("BEGIN { @m[1] = 2; if (find(@m, 1, $v)) { printf(\"%d\", $v); } }", 1),
            base + 1);
}

} // namespace
} // namespace scry
