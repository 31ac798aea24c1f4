// Kernel BTF (vmlinux) for the type source: parsed on first need, a name index built in
// one pass on the first name lookup, and conversion of BTF types to ast::Types.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "ast/type.h"

struct btf;

namespace scry::btf {

class BtfTypes {
public:
  // Which C namespace a name is looked up in.
  enum class Space { Struct, Union, Enum, Typedef };

  explicit BtfTypes(std::string path);
  ~BtfTypes();
  BtfTypes(const BtfTypes &) = delete;
  BtfTypes &operator=(const BtfTypes &) = delete;

  // Parses the BTF file on the first call; later calls return the first result.
  // On failure `error` names the file and the cause.
  bool load(std::string &error);
  bool loaded() const { return btf_ != nullptr; }
  // Whether the name index has been built (for tests of laziness).
  bool indexed() const { return indexed_; }
  // The parsed BTF, or null before a successful load() (for kernel_funcs.cpp).
  const struct ::btf *raw() const { return btf_.get(); }

  // The type id of `name` in `space` (a struct's definition is preferred over its
  // forward declaration), or 0 when absent. Requires a successful load().
  uint32_t find(Space space, std::string_view name);

  // Converts type `id` to an ast::Type. Pointers carry `as`. A struct or union gets its
  // fields when `with_fields` (members that are records, or point to records, get name
  // and size only), so conversion never recurses more than one level.
  //   int/enum -> integer of its size; char[N] -> string[N]; T[N] -> array;
  //   void, functions, floats -> none; bitfield members are left out.
  ast::Type toType(uint32_t id, ast::AddrSpace as, bool with_fields);

  // The struct/union `id` as a record (see toType); `name_hint` names an anonymous one.
  std::shared_ptr<const ast::RecordType> record(uint32_t id, ast::AddrSpace as, bool with_fields,
                                                std::string_view name_hint = "");

private:
  void buildIndex();
  uint32_t skipModifiers(uint32_t id, std::string *typedef_name = nullptr) const;
  void addMembers(uint32_t id, uint32_t base_offset, ast::AddrSpace as,
                  std::vector<ast::Field> &fields, unsigned depth);

  struct BtfDeleter {
    void operator()(struct ::btf *b) const;
  };

  std::string path_;
  bool tried_ = false;
  std::string load_error_;
  std::unique_ptr<struct ::btf, BtfDeleter> btf_;
  bool indexed_ = false;
  // Keys point into the BTF string section, which lives as long as btf_.
  std::unordered_map<std::string_view, uint32_t> index_[4];
  std::map<std::tuple<uint32_t, ast::AddrSpace, bool>, std::shared_ptr<const ast::RecordType>>
      records_;
};

} // namespace scry::btf
