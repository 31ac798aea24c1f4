// Shapes of kernel variables' types for typed ksyms. See kernel_vars.h.
#include "btf/kernel_vars.h"

#include <bpf/btf.h>

namespace scry::btf {

namespace {

// Pointers and arrays nest this deep at most in a shape.
constexpr int kMaxShapeDepth = 8;

bool shapeOf(const struct ::btf *b, uint32_t id, int depth, std::string &shape) {
  if (depth > kMaxShapeDepth)
    return false;
  const btf_type *t = btf__type_by_id(b, id);
  while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
    id = t->type;
    t = btf__type_by_id(b, id);
  }
  if (id == 0 || !t) {
    shape += 'v';
    return true;
  }
  if (btf_is_struct(t)) {
    shape += 's';
  } else if (btf_is_union(t)) {
    shape += 'u';
  } else if (btf_is_any_enum(t)) {
    shape += 'e';
  } else if (btf_is_int(t)) {
    shape += 'i';
  } else if (btf_is_ptr(t)) {
    shape += 'p';
    return shapeOf(b, t->type, depth + 1, shape);
  } else if (btf_is_array(t)) {
    shape += 'a';
    return shapeOf(b, btf_array(t)->type, depth + 1, shape);
  } else {
    return false;
  }
  return true;
}

} // namespace

bool kernelVariableShape(BtfTypes &btf, const std::string &name, std::string &shape,
                         std::string &error) {
  if (!btf.load(error))
    return false;
  const struct ::btf *b = btf.raw();
  uint32_t count = btf__type_cnt(b);
  for (uint32_t id = 1; id < count; ++id) { // one pass: VARs are not in the name index
    const btf_type *t = btf__type_by_id(b, id);
    if (!btf_is_var(t) || name != btf__name_by_offset(b, t->name_off))
      continue;
    shape.clear();
    if (shapeOf(b, t->type, 0, shape))
      return true;
    error = "kernel variable '" + name + "' has a type a ksym cannot describe";
    return false;
  }
  error = "no kernel variable named '" + name + "' in BTF";
  return false;
}

} // namespace scry::btf
