// Format-file and C-declaration parsing (src/btf/format.h), on lines from Linux 6.18.
#include <gtest/gtest.h>

#include "btf/format.h"

using namespace scry::btf;

namespace {

CDecl decl(const char *text) {
  CDecl d;
  std::string error;
  EXPECT_TRUE(parseCDecl(text, d, error)) << text << ": " << error;
  return d;
}

} // namespace

TEST(Format, SkipsCommonFieldsAndReadsAttributes) {
  const char *text = "name: sys_enter_openat\nID: 782\nformat:\n"
                     "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
                     "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
                     "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
                     "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n\n"
                     "print fmt: \"filename: 0x%08lx\", ((unsigned long)(REC->filename))\n";
  std::vector<FormatField> fields;
  std::string error;
  ASSERT_TRUE(parseFormat(text, fields, error)) << error;
  ASSERT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields[0].decl, "int __syscall_nr");
  EXPECT_EQ(fields[0].offset, 8u);
  EXPECT_EQ(fields[0].size, 4u);
  EXPECT_TRUE(fields[0].is_signed);
  EXPECT_EQ(fields[1].decl, "const char * filename");
  EXPECT_EQ(fields[1].offset, 24u);
  EXPECT_FALSE(fields[1].is_signed);
}

TEST(Format, MalformedFieldNamesTheLine) {
  std::vector<FormatField> fields;
  std::string error;
  EXPECT_FALSE(parseFormat("format:\n\tfield:int x;\toffset:abc;\tsize:4;\n", fields, error));
  EXPECT_NE(error.find("line 2"), std::string::npos) << error;
}

TEST(CDecl, Builtins) {
  auto d = decl("unsigned long long ino");
  EXPECT_EQ(d.base, CDecl::Base::Builtin);
  EXPECT_EQ(d.builtin_bits, 64u);
  EXPECT_FALSE(d.builtin_signed);
  EXPECT_EQ(d.name, "ino");

  d = decl("short s");
  EXPECT_EQ(d.builtin_bits, 16u);
  EXPECT_TRUE(d.builtin_signed);
  d = decl("unsigned u");
  EXPECT_EQ(d.builtin_bits, 32u);
  EXPECT_FALSE(d.builtin_signed);
  d = decl("signed char c");
  EXPECT_EQ(d.builtin_bits, 8u);
  EXPECT_FALSE(d.plain_char);
  d = decl("bool b");
  EXPECT_EQ(d.builtin_bits, 8u);
  EXPECT_FALSE(d.builtin_signed);
}

TEST(CDecl, PointersAndQualifiers) {
  auto d = decl("const char *const * argv");
  EXPECT_EQ(d.base, CDecl::Base::Builtin);
  EXPECT_TRUE(d.plain_char);
  EXPECT_EQ(d.pointer_depth, 2u);
  EXPECT_EQ(d.name, "argv");

  d = decl("void __seg_gs * ptr");
  EXPECT_EQ(d.base, CDecl::Base::Void);
  EXPECT_EQ(d.pointer_depth, 1u);

  d = decl("const void* buf");
  EXPECT_EQ(d.base, CDecl::Base::Void);
  EXPECT_EQ(d.pointer_depth, 1u);

  d = decl("const struct landlock_ruleset_attr *const attr");
  EXPECT_EQ(d.base, CDecl::Base::Struct);
  EXPECT_EQ(d.base_name, "landlock_ruleset_attr");
  EXPECT_EQ(d.pointer_depth, 1u);

  d = decl("struct robust_list_head * * head_ptr");
  EXPECT_EQ(d.pointer_depth, 2u);

  d = decl("enum xfs_group_type type");
  EXPECT_EQ(d.base, CDecl::Base::Enum);

  d = decl("const cap_user_data_t data");
  EXPECT_EQ(d.base, CDecl::Base::Typedef);
  EXPECT_EQ(d.base_name, "cap_user_data_t");
  EXPECT_EQ(d.pointer_depth, 0u);
}

TEST(CDecl, ArraysAndDataLoc) {
  auto d = decl("char prev_comm[16]");
  EXPECT_TRUE(d.is_array);
  EXPECT_TRUE(d.plain_char);
  EXPECT_EQ(d.array_len, 16u);
  EXPECT_EQ(d.name, "prev_comm");

  d = decl("unsigned long args[6]");
  EXPECT_TRUE(d.is_array);
  EXPECT_EQ(d.array_len, 6u);

  d = decl("u32 buf[]");
  EXPECT_TRUE(d.is_array);
  EXPECT_EQ(d.array_len, 0u);
  EXPECT_EQ(d.base_name, "u32");

  d = decl("__data_loc char[] filename");
  EXPECT_TRUE(d.data_loc);
  EXPECT_TRUE(d.is_array);
  EXPECT_TRUE(d.plain_char);
  EXPECT_EQ(d.name, "filename");

  d = decl("__data_loc cpumask_t cpumask");
  EXPECT_TRUE(d.data_loc);
  EXPECT_FALSE(d.is_array);
  EXPECT_EQ(d.base_name, "cpumask_t");
}

TEST(CDecl, Rejects) {
  CDecl d;
  std::string error;
  EXPECT_FALSE(parseCDecl("int (*fn)(void)", d, error));
  EXPECT_NE(error.find("int (*fn)(void)"), std::string::npos) << error;
  EXPECT_FALSE(parseCDecl("foo bar baz", d, error));
  EXPECT_FALSE(parseCDecl("int x[abc]", d, error));
  EXPECT_FALSE(parseCDecl("", d, error));
}
