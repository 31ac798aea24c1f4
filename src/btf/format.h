// Parsing of tracefs `format` files and of the C declarations in their `field:` lines.
// Pure text processing; kernel_type_source.cpp turns the result into ast::Types.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scry::btf {

// One `field:` line: `\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;`.
struct FormatField {
  std::string decl; // the C declaration, e.g. "const char * filename"
  uint32_t offset = 0;
  uint32_t size = 0;
  bool is_signed = false;
};

// The non-common fields of a format file, in file order (`common_*` fields skipped).
// Returns false and sets `error` (naming the line) when a field line is malformed.
bool parseFormat(std::string_view text, std::vector<FormatField> &fields, std::string &error);

// A C declaration as tracefs writes it, split into its parts.
struct CDecl {
  enum class Base {
    Void,    // void
    Builtin, // char/short/int/long/_Bool combinations: see builtin_bits and builtin_signed
    Struct,  // struct <tag>
    Union,   // union <tag>
    Enum,    // enum <tag>
    Typedef, // any other identifier: pid_t, u32, umode_t, ...
  };
  Base base = Base::Void;
  std::string base_name;     // tag or typedef name; "" for Void and Builtin
  unsigned builtin_bits = 0; // Builtin: width on x86_64 (LP64: long is 64 bits)
  bool builtin_signed = false;
  bool plain_char = false; // Builtin spelled `char` (no signed/unsigned): a string element
  unsigned pointer_depth = 0;
  bool data_loc = false;  // `__data_loc` prefix
  bool is_array = false;  // `name[N]`, `name[]`, or `__data_loc T[] name`
  uint32_t array_len = 0; // 0 for `[]`
  std::string name;       // the field name
};

// Parses `decl` (e.g. "const char *const * argv", "__data_loc char[] name",
// "unsigned long args[6]", "void __seg_gs * ptr"). Qualifiers (const, volatile,
// restrict, __seg_gs, __seg_fs, __user, ...) are dropped. Returns false and sets
// `error` when the declaration cannot be understood.
bool parseCDecl(std::string_view decl, CDecl &out, std::string &error);

} // namespace scry::btf
