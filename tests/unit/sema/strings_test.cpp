// Sema of printf formats and of the string, buffer and network functions: result
// types, and a located error for every misuse (wrong argument types and counts, and
// path() where its probe type cannot use it).
#include <gtest/gtest.h>

#include "checked.h"

namespace scry {
namespace {

using diag::DiagId;
using testing::Checked;

// The type of `$x = <expr>` in BEGIN (or in `probe`).
std::string typeOf(const std::string &expr, const std::string &probe = "BEGIN") {
  Checked c(probe + " { $x = " + expr + "; }");
  EXPECT_TRUE(c.diags.ok()) << expr << ": " << c.message();
  return c.diags.ok() ? c.valueType(0) : "";
}

// The one error `program` gives: its id, and the source text it points at.
void expectError(const std::string &program, DiagId id, const std::string &at) {
  Checked c(program);
  ASSERT_EQ(c.diags.errorCount(), 1u) << program;
  EXPECT_EQ(c.diags.all()[0].id, id) << program << ": " << c.message();
  EXPECT_EQ(c.slice(0), at) << program << ": " << c.message();
}

TEST(StringFunctions, ResultTypes) {
  EXPECT_EQ(typeOf("buf(\"ok_key\", 6)"), "buffer[6]");
  EXPECT_EQ(typeOf("buf(\"ok\")"), "buffer[3]");
  EXPECT_EQ(typeOf("buf(curtask, 3000)"), "buffer[1024]"); // capped at max_strlen
  EXPECT_EQ(typeOf("buf(curtask, pid)"), "buffer[1024]");
  EXPECT_EQ(typeOf("buf(args.saddr_v6)", "t:sock:inet_sock_set_state"), "buffer[16]");
  EXPECT_EQ(typeOf("buf(args.saddr_v6, 5)", "t:sock:inet_sock_set_state"), "buffer[5]");
  EXPECT_EQ(typeOf("strncmp(comm, \"cat\", 3)"), "int64");
  EXPECT_EQ(typeOf("strcontains(comm, \"a\")"), "bool");
  EXPECT_EQ(typeOf("strstr(comm, \"a\")"), "int64");
  EXPECT_EQ(typeOf("strlen(comm)"), "uint64");
  EXPECT_EQ(typeOf("str_concat(comm, \"abc\")"), "string[1024]");
  EXPECT_EQ(typeOf("strerror(2)"), "string[64]");
  EXPECT_EQ(typeOf("bswap((uint16)1)"), "uint16");
  EXPECT_EQ(typeOf("bswap(1)"), "uint64");
  EXPECT_EQ(typeOf("kptr(curtask)"), "struct task_struct *");
  EXPECT_EQ(typeOf("uptr(1)"), "int8 *");
  EXPECT_EQ(typeOf("\"foo\" + \"bar\""), "string[7]");
  EXPECT_EQ(typeOf("\"hello\" + 3"), "string[3]");
}

TEST(StringFunctions, NetworkResultTypes) {
  EXPECT_EQ(typeOf("ntop(0x0100007f)"), "inet");
  EXPECT_EQ(typeOf("ntop(2, pton(\"1.2.3.4\"))"), "inet");
  EXPECT_EQ(typeOf("ntop(pton(\"::1\"))"), "inet");
  EXPECT_EQ(typeOf("ntop(args.saddr)", "t:sock:inet_sock_set_state"), "inet");
  EXPECT_EQ(typeOf("ntop(args.family, args.saddr_v6)", "t:sock:inet_sock_set_state"), "inet");
  EXPECT_EQ(typeOf("macaddr(args.saddr_v6)", "t:sock:inet_sock_set_state"), "mac_address");
  EXPECT_EQ(typeOf("macaddr(args.skaddr)", "t:sock:inet_sock_set_state"), "mac_address");
  // char[16] arrays of tracepoints are strings: IPv6 addresses too.
  EXPECT_EQ(typeOf("ntop(args.prev_comm)", "t:sched:sched_switch"), "inet");
  EXPECT_EQ(typeOf("(ntop(1), buf(\"a\", 1))"), "(inet, buffer[1])");
}

TEST(StringFunctions, BytesValuesAreStorable) {
  Checked c("BEGIN { @b[buf(\"k\", 1)] = ntop(1); @m = macaddr(curtask); $t = (1, ntop(2)); "
            "print(@b[buf(\"k\", 1)]); print(ntop(1)); }");
  ASSERT_TRUE(c.diags.ok()) << c.message();
  EXPECT_EQ(c.analysis.maps.at("@b").key.str(), "buffer[1]");
  EXPECT_EQ(c.map("@b").str(), "inet");
  EXPECT_EQ(c.map("@m").str(), "mac_address");
}

TEST(StringFunctions, WrongArguments) {
  expectError("BEGIN { buf(curtask); }", DiagId::ArgumentCount, "buf(curtask)");
  expectError("BEGIN { buf(curtask, \"a\"); }", DiagId::ArgumentType, "\"a\"");
  expectError("BEGIN { buf(curtask, 0); }", DiagId::ArgumentType, "0");
  expectError("BEGIN { buf((1, 2), 1); }", DiagId::ArgumentType, "(1, 2)");
  expectError("BEGIN { strncmp(comm, 1, 2); }", DiagId::ArgumentType, "1");
  expectError("BEGIN { strncmp(comm, \"a\", pid); }", DiagId::ArgumentType, "pid");
  expectError("BEGIN { strncmp(comm, \"a\"); }", DiagId::ArgumentCount,
              "strncmp(comm, \"a\")");
  expectError("BEGIN { strcontains(pid, \"a\"); }", DiagId::ArgumentType, "pid");
  expectError("BEGIN { strstr(\"a\", curtask); }", DiagId::ArgumentType, "curtask");
  expectError("BEGIN { strlen(1); }", DiagId::ArgumentType, "1");
  expectError("BEGIN { str_concat(\"a\"); }", DiagId::ArgumentCount, "str_concat(\"a\")");
  expectError("BEGIN { strerror(\"a\"); }", DiagId::ArgumentType, "\"a\"");
  expectError("BEGIN { bswap(comm); }", DiagId::ArgumentType, "comm");
  expectError("BEGIN { kptr(comm); }", DiagId::ArgumentType, "comm");
  expectError("BEGIN { uptr(); }", DiagId::ArgumentCount, "uptr()");
  expectError("BEGIN { ntop(\"a\"); }", DiagId::ArgumentType, "\"a\"");
  expectError("BEGIN { ntop(\"a\", 1); }", DiagId::ArgumentType, "\"a\"");
  expectError("BEGIN { ntop(1, 2, 3); }", DiagId::ArgumentCount, "ntop(1, 2, 3)");
  expectError("BEGIN { ntop(\"ab\"); }", DiagId::ArgumentType, "\"ab\"");
  expectError("BEGIN { pton(\"1.2.3\"); }", DiagId::ArgumentType, "\"1.2.3\"");
  expectError("BEGIN { pton(\"1::2::3\"); }", DiagId::ArgumentType, "\"1::2::3\"");
  expectError("BEGIN { $a = \"1.2.3.4\"; pton($a); }", DiagId::ArgumentType, "$a");
  expectError("t:sock:inet_sock_set_state { macaddr(args.saddr); }", DiagId::ArgumentType,
              "args.saddr");
  expectError("BEGIN { macaddr(\"ab\"); }", DiagId::ArgumentType, "\"ab\"");
  expectError("BEGIN { $x = \"a\" + pid; }", DiagId::TypeMismatch, "\"a\" + pid");
}

TEST(StringFunctions, PathOnlyWhereBpfDPathWorks) {
  expectError("BEGIN { path(curtask); }", DiagId::BuiltinNotAvailable, "path(curtask)");
  expectError("t:syscalls:sys_enter_openat { print(path(args.filename)); }",
              DiagId::BuiltinNotAvailable, "path(args.filename)");
}

TEST(StringFunctions, ValuesInConditionsAndComparisons) {
  EXPECT_TRUE(Checked("BEGIN { if (strncmp(comm, \"cat\", 3) == 0 && strcontains(comm, \"a\")) "
                      "{ exit(); } }")
                  .diags.ok());
  EXPECT_TRUE(Checked("BEGIN { if (strerror(2) == \"No such file or directory\") { exit(); } }")
                  .diags.ok());
  EXPECT_TRUE(Checked("t:sched:sched_switch /args.prev_comm == \"swapper/0\"/ { }").diags.ok());
  // Byte values are not numbers.
  expectError("BEGIN { $x = ntop(1) + 1; }", DiagId::TypeMismatch, "ntop(1) + 1");
}

TEST(Printf, Conversions) {
  for (const char *ok : {
           "printf(\"%-10s|%5d|%08x|%llu|%lu|%c|%p|%%|%hhd|%zu|%X|%o|%i\\n\", \"a\", 1, 2, 3, 4, "
           "65, curtask, 7, 8, 9, 10, 11)",
           "printf(\"%*d %-*.*s\", 5, 1, 3, 2, \"abc\")",
           "printf(\"%r %rx %rh\", buf(\"a\", 1), buf(\"b\", 1), buf(\"c\", 1))",
           "printf(\"%s %s %s %s %s\", ntop(1), macaddr(curtask), buf(\"x\", 1), (1, \"a\"), "
           "true)",
           "printf(\"%d %x %s %c\", true, curtask, 5, 65)",
       }) {
    Checked c(std::string("BEGIN { ") + ok + "; }");
    EXPECT_TRUE(c.diags.ok()) << ok << ": " << c.message();
  }
}

TEST(Printf, Errors) {
  expectError("BEGIN { printf(\"%r\", \"abc\"); }", DiagId::PrintfFormat, "\"abc\"");
  expectError("BEGIN { printf(\"%d\", ntop(1)); }", DiagId::PrintfFormat, "ntop(1)");
  expectError("BEGIN { printf(\"%*d\", \"w\", 1); }", DiagId::PrintfFormat, "\"w\"");
  expectError("BEGIN { printf(\"%*d\", 1); }", DiagId::PrintfFormat, "printf(\"%*d\", 1)");
  expectError("BEGIN { printf(\"%f\", 1); }", DiagId::PrintfFormat, "\"%f\"");
  expectError("BEGIN { printf(\"%d\"); }", DiagId::PrintfFormat, "printf(\"%d\")");
  expectError("BEGIN { printf(\"%c\", \"a\"); }", DiagId::PrintfFormat, "\"a\"");
  Checked c("BEGIN { printf(\"%rx\", 5); }");
  EXPECT_EQ(c.message(), "printf: %rx specifier expects a value of type buffer (int64 supplied)");
}

} // namespace
} // namespace scry
