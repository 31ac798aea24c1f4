// Sema of skboutput(path, skb, length, offset) (issue 5): --unsafe, the
// argument types, the probe types whose programs may call bpf_skb_output, and the
// offset of skb->len that sema hands codegen. A fake raw tracepoint with an sk_buff.
#include <gtest/gtest.h>

#include "checked.h"

namespace scry {
namespace {

using diag::DiagId;
using testing::Checked;

std::shared_ptr<const ast::RecordType> skbRecord() {
  auto skb = std::make_shared<ast::RecordType>();
  skb->name = "struct sk_buff";
  skb->size = 232;
  skb->fields = {{"len", ast::Type::integer(32, false), 112, false}};
  return skb;
}

// FakeTypes plus struct sk_buff and rawtracepoint:net_dev_start_xmit(struct sk_buff *skb).
class SkbTypes : public testing::FakeTypes {
public:
  bool rawTracepoint(const std::string &event, btf::FuncInfo &out, std::string &error) override {
    if (event != "net_dev_start_xmit")
      return FakeTypes::rawTracepoint(event, out, error);
    out.params = {{"skb", ast::Type::pointer(ast::Type::record(skbRecord()), ast::AddrSpace::Kernel),
                   "struct sk_buff * skb"}};
    return true;
  }
  bool hasRawTracepoint(const std::string &event) override {
    return event == "net_dev_start_xmit";
  }
  std::shared_ptr<const ast::RecordType> kernelRecord(const std::string &name, ast::AddrSpace as,
                                                      std::string &error) override {
    if (name == "struct sk_buff")
      return skbRecord();
    return FakeTypes::kernelRecord(name, as, error);
  }
};

Checked check(const std::string &text, bool unsafe = true) {
  SkbTypes types;
  return Checked(text, types, sema::Inputs{nullptr, {}, {}, unsafe});
}

const char *kProbe = "rawtracepoint:net_dev_start_xmit { ";

TEST(SkboutputSema, ReturnsAnIntegerAndFindsTheLengthField) {
  Checked c = check(std::string(kProbe) + "$r = skboutput(\"/tmp/a.pcap\", args.skb, 1500, 14); }");
  ASSERT_EQ(c.diags.errorCount(), 0u) << c.message();
  EXPECT_EQ(c.valueType(0), "int64");
  auto *assign = ast::cast<ast::AssignVar>(c.program->probes[0]->body->stmts[0]);
  EXPECT_EQ(c.analysis.constants.at(assign->value->Node::id()), 112u);
}

TEST(SkboutputSema, AcceptsAnIntegerAddress) {
  Checked c = check(std::string(kProbe) + "skboutput(\"/tmp/a.pcap\", arg0, 100, 0); }");
  EXPECT_EQ(c.diags.errorCount(), 0u) << c.message();
}

TEST(SkboutputSema, NeedsUnsafe) {
  Checked c = check(std::string(kProbe) + "skboutput(\"/tmp/a.pcap\", args.skb, 100, 0); }",
                    /*unsafe=*/false);
  EXPECT_TRUE(c.has(DiagId::UnsafeFunction));
  EXPECT_EQ(c.message(), "skboutput() is an unsafe function being used in safe mode; run scry "
                         "with --unsafe to allow it");
}

TEST(SkboutputSema, PathMustBeAStringLiteral) {
  Checked c = check(std::string(kProbe) + "skboutput(str(arg0), args.skb, 100, 0); }");
  EXPECT_EQ(c.message(), "skboutput() expects a string literal as its file path");
  EXPECT_EQ(c.slice(0), "str(arg0)");
  Checked empty = check(std::string(kProbe) + "skboutput(\"\", args.skb, 100, 0); }");
  EXPECT_EQ(empty.message(), "skboutput() expects a non-empty file path");
}

TEST(SkboutputSema, ArgumentTypes) {
  Checked c = check(std::string(kProbe) + "skboutput(\"/tmp/a\", \"x\", \"y\", (1, 2)); }");
  ASSERT_EQ(c.diags.errorCount(), 3u) << c.message();
  EXPECT_EQ(c.diags.all()[0].message, "skboutput() expects a struct sk_buff * (string[2] provided)");
  EXPECT_EQ(c.diags.all()[1].message, "skboutput() expects an integer length (string[2] provided)");
  EXPECT_EQ(c.slice(2), "(1, 2)");
  Checked task = check(std::string(kProbe) + "skboutput(\"/tmp/a\", curtask, 100, 0); }");
  EXPECT_EQ(task.message(), "skboutput() expects a struct sk_buff * (struct task_struct * provided)");
}

TEST(SkboutputSema, RefusedOutsideTracingPrograms) {
  Checked c = check("tracepoint:sched:sched_switch { skboutput(\"/tmp/a\", 0, 100, 0); }");
  EXPECT_TRUE(c.has(DiagId::BuiltinNotAvailable)) << c.message();
  EXPECT_EQ(c.message(), "skboutput can not be used with \"tracepoint\" probes");
  Checked begin = check("BEGIN { skboutput(\"/tmp/a\", 0, 100, 0); }");
  EXPECT_EQ(begin.message(), "skboutput can not be used with \"BEGIN\" probes");
  EXPECT_EQ(begin.slice(0), "skboutput(\"/tmp/a\", 0, 100, 0)");
}

TEST(SkboutputSema, ArgumentCount) {
  Checked c = check(std::string(kProbe) + "skboutput(\"/tmp/a\", args.skb, 100); }");
  EXPECT_TRUE(c.has(DiagId::ArgumentCount));
  EXPECT_EQ(c.message(), "skboutput() requires exactly 4 arguments (3 provided)");
}

} // namespace
} // namespace scry
