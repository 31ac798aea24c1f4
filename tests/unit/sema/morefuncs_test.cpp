// Sema of signal_thread(sig), strcap(s), memcmp(a, b, n) and unwatch(addr): their types,
// strcap's compile-time value, and every misuse as a located error.
#include <gtest/gtest.h>

#include "checked.h"

namespace scry {
namespace {

using diag::DiagId;

// The checked.h fixture with --unsafe given or not.
struct More : testing::Checked {
  explicit More(const std::string &text, bool unsafe = false)
      : Checked(text, fakeTypes(), sema::Inputs{nullptr, {}, {}, unsafe}) {}
  static testing::FakeTypes &fakeTypes() {
    static testing::FakeTypes types; // stateless
    return types;
  }
  bool ok() const { return diags.errorCount() == 0; }
  std::string slice() const {
    return diags.all().empty() ? "" : std::string(file.slice(diags.all().front().range));
  }
  std::string hint() const {
    return diags.all().empty() || diags.all().front().hints.empty()
               ? ""
               : diags.all().front().hints.front();
  }
  // strcap()'s value in statement `i` ($x = strcap(...)).
  uint64_t constant(size_t i) const {
    auto *stmt = ast::cast<ast::AssignVar>(program->probes[0]->body->stmts.at(i));
    return analysis.constants.at(stmt->value->id());
  }
};

std::string begin(const std::string &body) { return "BEGIN { " + body + " }"; }
std::string tp(const std::string &body) {
  return "tracepoint:sched:sched_switch { " + body + " }";
}

TEST(MoreFuncs, SignalThreadIsSignals) {
  EXPECT_TRUE(More(tp("signal_thread(\"USR1\"); signal_thread(9); signal_thread(pid % 3 + 1);"),
                   true)
                  .ok());
  More safe(tp("signal_thread(\"KILL\");"));
  EXPECT_TRUE(safe.has(DiagId::UnsafeFunction));
  EXPECT_EQ(safe.slice(), "signal_thread(\"KILL\")");
  EXPECT_EQ(safe.hint(), "signal_thread() sends a signal to the traced thread");
  EXPECT_EQ(More(tp("signal_thread(\"FOO\");"), true).message(), "FOO is not a valid signal");
  EXPECT_EQ(More(tp("signal_thread(65);"), true).message(),
            "65 is not a valid signal, allowed range: [1,64]");
  More str(tp("signal_thread(comm);"), true);
  EXPECT_EQ(str.message(), "signal_thread only accepts string literals or integers");
  EXPECT_EQ(str.slice(), "comm");
  for (const char *probe : {"BEGIN", "END", "interval:s:1", "software:faults", "self:signal:SIGUSR1"}) {
    More where(std::string(probe) + " { signal_thread(\"KILL\"); }", true);
    EXPECT_TRUE(where.has(DiagId::BuiltinNotAvailable)) << probe;
    EXPECT_NE(where.message().find("signal_thread can not be used with"), std::string::npos)
        << probe << ": " << where.message();
  }
  EXPECT_TRUE(More(tp("signal_thread();"), true).has(DiagId::ArgumentCount));
  EXPECT_EQ(More(tp("$x = signal_thread(1);"), true).message(), "signal_thread() returns no value");
}

TEST(MoreFuncs, StrcapIsACompileTimeCapacity) {
  More c(tp("$a = strcap(\"abc\"); $b = strcap(comm); $c = strcap(args.prev_comm); "
            "$d = strcap(str(0, 8)); $e = strcap(str(0));"));
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "int64");
  EXPECT_EQ(c.constant(0), 4u);
  EXPECT_EQ(c.constant(1), 16u);
  EXPECT_EQ(c.constant(2), 16u);
  EXPECT_EQ(c.constant(3), 8u);
  EXPECT_EQ(c.constant(4), c.analysis.config.max_strlen);
}

TEST(MoreFuncs, StrcapErrors) {
  More i(begin("$x = strcap(1);"));
  EXPECT_EQ(i.message(), "strcap() expects a string or a char array (int64 provided)");
  EXPECT_EQ(i.slice(), "1");
  More p(begin("$x = strcap(curtask);"));
  EXPECT_TRUE(p.has(DiagId::ArgumentType));
  EXPECT_EQ(p.slice(), "curtask");
  EXPECT_NE(p.hint().find("a pointer has no capacity"), std::string::npos);
  EXPECT_TRUE(More(begin("$x = strcap();")).has(DiagId::ArgumentCount));
  EXPECT_TRUE(More(begin("$x = strcap(\"a\", \"b\");")).has(DiagId::ArgumentCount));
}

TEST(MoreFuncs, Memcmp) {
  More c(tp("$a = memcmp(comm, \"abc\", 3); $b = memcmp(args.prev_comm, args.next_comm, 16); "
            "$c = memcmp(buf(\"ab\", 2), \"ab\", 2);"));
  ASSERT_TRUE(c.ok()) << c.message();
  EXPECT_EQ(c.valueType(0), "int64");
  More big(begin("$x = memcmp(\"ab\", comm, 4);"));
  EXPECT_EQ(big.message(), "memcmp() length 4 is larger than its first argument (3 bytes)");
  EXPECT_EQ(big.slice(), "4");
  More big2(begin("$x = memcmp(comm, \"ab\", 4);"));
  EXPECT_EQ(big2.message(), "memcmp() length 4 is larger than its second argument (3 bytes)");
  More var(begin("$n = 1; $x = memcmp(comm, comm, $n);"));
  EXPECT_EQ(var.message(), "memcmp() expects a non-negative integer literal as its length");
  EXPECT_EQ(var.slice(), "$n");
  More ptr(begin("$x = memcmp(curtask, comm, 1);"));
  EXPECT_TRUE(ptr.has(DiagId::ArgumentType));
  EXPECT_EQ(ptr.slice(), "curtask");
  EXPECT_EQ(ptr.hint(), "read the memory first, with str(p) or buf(p, n)");
  More num(begin("$x = memcmp(comm, 5, 1);"));
  EXPECT_EQ(num.message(), "memcmp() expects a string, an array or a buffer (int64 provided)");
  EXPECT_TRUE(More(begin("$x = memcmp(comm, comm);")).has(DiagId::ArgumentCount));
}

TEST(MoreFuncs, Unwatch) {
  EXPECT_TRUE(More(begin("unwatch(0x1000); unwatch(curtask); $a = 8; unwatch($a);")).ok());
  More s(begin("unwatch(\"x\");"));
  EXPECT_EQ(s.message(), "unwatch() expects an integer address (string[2] provided)");
  EXPECT_EQ(s.slice(), "\"x\"");
  EXPECT_EQ(More(begin("$x = unwatch(1);")).message(), "unwatch() returns no value");
  EXPECT_TRUE(More(begin("unwatch();")).has(DiagId::ArgumentCount));
}

} // namespace
} // namespace scry
