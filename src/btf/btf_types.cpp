// Kernel BTF for the type source. libbpf's btf__find_by_name_kind scans every type per
// lookup (0.6 ms over the 126k types of Linux 6.18), so names are indexed here in one pass.
#include "btf/btf_types.h"

#include <bpf/btf.h>

#include <cerrno>
#include <cstring>

namespace scry::btf {

using ast::AddrSpace;
using ast::Type;

void BtfTypes::BtfDeleter::operator()(struct ::btf *b) const { btf__free(b); }

BtfTypes::BtfTypes(std::string path) : path_(std::move(path)) {}

BtfTypes::~BtfTypes() = default;

bool BtfTypes::load(std::string &error) {
  if (!tried_) {
    tried_ = true;
    errno = 0;
    struct ::btf *b = btf__parse(path_.c_str(), nullptr);
    if (b == nullptr) {
      int err = errno ? errno : EINVAL;
      load_error_ = "cannot load kernel BTF from " + path_ + ": " + std::strerror(err) +
                    " (scry types kernel data through BTF: use a kernel built with "
                    "CONFIG_DEBUG_INFO_BTF=y, or point BPFTRACE_BTF at a BTF file)";
    }
    btf_.reset(b);
  }
  if (btf_ == nullptr)
    error = load_error_;
  return btf_ != nullptr;
}

// One pass over all types. Anonymous types and kinds never looked up by name (functions,
// variables, sections, tags) are skipped.
void BtfTypes::buildIndex() {
  indexed_ = true;
  uint32_t count = btf__type_cnt(btf_.get());
  for (auto &space : index_)
    space.reserve(count / 16);
  for (uint32_t id = 1; id < count; ++id) {
    const btf_type *t = btf__type_by_id(btf_.get(), id);
    if (t->name_off == 0)
      continue;
    Space space;
    bool is_fwd = false;
    switch (btf_kind(t)) {
    case BTF_KIND_STRUCT:
      space = Space::Struct;
      break;
    case BTF_KIND_UNION:
      space = Space::Union;
      break;
    case BTF_KIND_FWD:
      space = btf_kflag(t) ? Space::Union : Space::Struct;
      is_fwd = true;
      break;
    case BTF_KIND_ENUM:
    case BTF_KIND_ENUM64:
      space = Space::Enum;
      break;
    case BTF_KIND_TYPEDEF:
      space = Space::Typedef;
      break;
    default:
      continue;
    }
    std::string_view name = btf__name_by_offset(btf_.get(), t->name_off);
    auto [it, inserted] = index_[static_cast<int>(space)].try_emplace(name, id);
    if (!inserted && !is_fwd && btf_is_fwd(btf__type_by_id(btf_.get(), it->second)))
      it->second = id;
  }
}

uint32_t BtfTypes::find(Space space, std::string_view name) {
  if (btf_ == nullptr)
    return 0;
  if (!indexed_)
    buildIndex();
  const auto &map = index_[static_cast<int>(space)];
  auto it = map.find(name);
  return it == map.end() ? 0 : it->second;
}

// Follows const/volatile/restrict/type tags and typedefs; remembers the last typedef name.
uint32_t BtfTypes::skipModifiers(uint32_t id, std::string *typedef_name) const {
  while (id != 0) {
    const btf_type *t = btf__type_by_id(btf_.get(), id);
    if (t == nullptr)
      return 0;
    if (btf_is_typedef(t)) {
      if (typedef_name)
        *typedef_name = btf__name_by_offset(btf_.get(), t->name_off);
    } else if (!btf_is_mod(t)) {
      return id;
    }
    id = t->type;
  }
  return 0;
}

namespace {

bool isCharInt(struct ::btf *b, const btf_type *t) {
  return btf_is_int(t) && t->size == 1 &&
         std::strcmp(btf__name_by_offset(b, t->name_off), "char") == 0;
}

Type intType(const btf_type *t) {
  uint8_t enc = btf_int_encoding(t);
  if (enc & BTF_INT_BOOL)
    return Type::integer(8, false);
  uint32_t size = t->size;
  bool natural = (size == 1 || size == 2 || size == 4 || size == 8) && btf_int_bits(t) == size * 8;
  if (!natural) // __int128 and odd widths: keep the layout, lose the arithmetic
    return Type::array(Type::integer(8, false), size);
  return Type::integer(size * 8, (enc & BTF_INT_SIGNED) != 0);
}

} // namespace

Type BtfTypes::toType(uint32_t id, AddrSpace as, bool with_fields) {
  std::string typedef_name;
  id = skipModifiers(id, &typedef_name);
  if (id == 0)
    return Type::none();
  const btf_type *t = btf__type_by_id(btf_.get(), id);
  switch (btf_kind(t)) {
  case BTF_KIND_INT:
    return isCharInt(btf_.get(), t) ? Type::integer(8, true) : intType(t);
  case BTF_KIND_ENUM:
  case BTF_KIND_ENUM64:
    return Type::integer(t->size * 8, btf_kflag(t));
  case BTF_KIND_PTR:
    return Type::pointer(toType(t->type, as, with_fields), as);
  case BTF_KIND_ARRAY: {
    const struct btf_array *arr = btf_array(t);
    uint32_t elem = skipModifiers(arr->type);
    if (elem != 0 && isCharInt(btf_.get(), btf__type_by_id(btf_.get(), elem)))
      return Type::string(arr->nelems);
    return Type::array(toType(arr->type, as, with_fields), arr->nelems);
  }
  case BTF_KIND_STRUCT:
  case BTF_KIND_UNION:
  case BTF_KIND_FWD:
    return Type::record(record(id, as, with_fields, typedef_name));
  default: // void, functions, floats, variables
    return Type::none();
  }
}

std::shared_ptr<const ast::RecordType> BtfTypes::record(uint32_t id, AddrSpace as, bool with_fields,
                                                        std::string_view name_hint) {
  id = skipModifiers(id);
  auto key = std::make_tuple(id, as, with_fields);
  if (auto it = records_.find(key); it != records_.end())
    return it->second;
  const btf_type *t = btf__type_by_id(btf_.get(), id);
  auto rec = std::make_shared<ast::RecordType>();
  bool is_union = btf_is_union(t) || (btf_is_fwd(t) && btf_kflag(t));
  std::string name = btf__name_by_offset(btf_.get(), t->name_off);
  if (!name.empty())
    rec->name = (is_union ? "union " : "struct ") + name;
  else if (!name_hint.empty())
    rec->name = std::string(name_hint);
  else
    rec->name = is_union ? "union (anonymous)" : "struct (anonymous)";
  rec->size = btf_is_composite(t) ? t->size : 0;
  if (with_fields && btf_is_composite(t))
    addMembers(id, 0, as, rec->fields, 0);
  records_.emplace(key, rec);
  return rec;
}

// Appends the members of struct/union `id`, flattening anonymous struct/union members
// (C lets `a.x` reach a member of an unnamed union inside `a`). Bitfields are skipped:
// ast::Field has no bit offset, and a byte-wise read would give wrong values.
void BtfTypes::addMembers(uint32_t id, uint32_t base_offset, AddrSpace as,
                          std::vector<ast::Field> &fields, unsigned depth) {
  const btf_type *t = btf__type_by_id(btf_.get(), id);
  const btf_member *m = btf_members(t);
  for (uint16_t i = 0; i < btf_vlen(t); ++i, ++m) {
    uint32_t bit_offset = btf_member_bit_offset(t, i);
    uint32_t member_id = skipModifiers(m->type);
    const btf_type *mt = member_id ? btf__type_by_id(btf_.get(), member_id) : nullptr;
    bool bitfield = btf_member_bitfield_size(t, i) != 0 || bit_offset % 8 != 0 ||
                    (mt && btf_is_int(mt) && btf_int_bits(mt) != mt->size * 8);
    if (bitfield)
      continue;
    uint32_t offset = base_offset + bit_offset / 8;
    if (m->name_off == 0) {
      // Nesting of anonymous members is bounded by the (acyclic) by-value layout;
      // the depth guard only protects against corrupt BTF.
      if (mt && btf_is_composite(mt) && depth < 32)
        addMembers(member_id, offset, as, fields, depth + 1);
      continue;
    }
    ast::Field field;
    field.name = btf__name_by_offset(btf_.get(), m->name_off);
    // A named record type is completed on use, by name; an anonymous one has no name
    // to find it by, so its fields come now (by value, so the nesting is bounded).
    bool anonymous_record = mt && btf_is_composite(mt) && mt->name_off == 0;
    field.type = toType(m->type, as, anonymous_record);
    field.offset = offset;
    fields.push_back(std::move(field));
  }
}

} // namespace scry::btf
