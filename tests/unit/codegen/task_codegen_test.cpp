// Codegen of the child, probe type, task and number-to-name builtins (issue 5, helper
// "procfuncs"): the programs compile to an object libbpf opens, and the syscall name
// table agrees with the numbers the syscall tracepoints use. Hermetic: nothing is loaded.
#include <bpf/libbpf.h>
#include <gtest/gtest.h>

#include "../sema/fake_types.h"
#include "codegen/codegen.h"
#include "codegen/probe_groups.h"
#include "parser/parse.h"

namespace scry {
namespace {

bool compiles(const std::string &text, std::string &error) {
  diag::SourceFile file("stdin", text);
  diag::Diagnostics diags(&file);
  ast::Context ctx;
  testing::FakeTypes types;
  auto *program = parser::parse(file, ctx, diags);
  auto probes = sema::expandAttachPoints(*program, types, diags);
  sema::Inputs inputs{&types, {}, {}, false};
  inputs.has_cpid = true;
  auto analysis = sema::resolveTypes(*program, ctx, probes, inputs, diags);
  EXPECT_EQ(diags.errorCount(), 0u) << (diags.all().empty() ? "" : diags.all()[0].message);
  codegen::Options options;
  options.child_pid = 1234;
  object::BpfObject object;
  if (!codegen::compile(*program, probes, analysis, file, options, object, error))
    return false;
  bpf_object *obj = bpf_object__open_mem(object.elf.data(), object.elf.size(), nullptr);
  if (!obj) {
    error = "libbpf could not open the object";
    return false;
  }
  bpf_object__close(obj);
  return true;
}

TEST(TaskCodegen, Compiles) {
  std::string error;
  EXPECT_TRUE(compiles("BEGIN { @c[cpid, has_cpid] = 1; @t[probetype] = 1; @p = pcomm; "
                       "printf(\"%s %s %d\\n\", syscall_name(@c[1, true]), signal_name(-1), "
                       "kfunc_exist(\"x\")); }",
                       error))
      << error;
}

TEST(TaskCodegen, SyscallNames) {
  EXPECT_EQ(codegen::syscallName(0), "read");
  EXPECT_EQ(codegen::syscallName(110), "getppid");
  EXPECT_EQ(codegen::syscallName(4), "stat"); // the macro's name, not the tracepoint's newstat
  EXPECT_EQ(codegen::syscallName(462), "mseal");
  EXPECT_EQ(codegen::syscallName(100000), "");
  for (uint32_t nr : {0u, 1u, 59u, 231u, 435u})
    EXPECT_EQ(codegen::syscallNumber(codegen::syscallName(nr)), static_cast<int>(nr)) << nr;
}

} // namespace
} // namespace scry
