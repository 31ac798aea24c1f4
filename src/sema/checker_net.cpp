// Type checking of the network functions: ntop([af,] addr) and macaddr(mac), printed
// by user space, and pton("addr"), computed here.
#include <arpa/inet.h>
#include <sys/socket.h>

#include "sema/checker.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

// Bytes an address argument holds: an array's or string's size, a pointer's pointee's;
// 0 for anything else.
uint32_t addressBytes(const Type &t) {
  if (t.isArray() || t.isString())
    return t.size();
  if (t.isPointer() && !t.pointee().isNone())
    return t.pointee().isPointer() ? 8 : t.pointee().size();
  return 0;
}

} // namespace

// ntop([af,] addr): `addr` an integer (IPv4, in network byte order as it lies in
// memory), or an array, string or pointer of 4 (IPv4) or 16 (IPv6) bytes. `af`
// (AF_INET 2, AF_INET6 10) overrides the family the size implies.
Type Checker::checkNtop(ast::Call *call) {
  bool has_af = call->args.size() == 2;
  Type af = has_af ? check(call->args[0]) : Type::integer(64, true);
  ast::Expr *addr_expr = call->args.back();
  Type addr = check(addr_expr);
  if (af.isNone() || addr.isNone())
    return Type::none();
  if (!af.isInt()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "ntop() expects an integer address family (" + af.str() + " provided)")
        .hint("AF_INET is 2 and AF_INET6 is 10");
    return Type::none();
  }
  if (addr.isInt())
    return Type::inet();
  uint32_t bytes = addressBytes(addr);
  if (bytes != 4 && bytes != 16) {
    diags_.error(DiagId::ArgumentType, addr_expr->range,
                 "ntop() expects an integer, or an array or pointer of 4 or 16 bytes (" +
                     addr.str() + " provided)");
    return Type::none();
  }
  return Type::inet();
}

// pton("addr"): the address as bytes, at compile time: uint8[4] for IPv4 (a dotted
// address), uint8[16] for IPv6 (one with ':').
Type Checker::checkPton(ast::Call *call) {
  check(call->args[0]);
  auto *lit = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!lit) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "pton() expects a string literal");
    return Type::none();
  }
  bool v6 = lit->value.find(':') != std::string::npos;
  unsigned char bytes[16];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, lit->value.c_str(), bytes) != 1) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "pton() expects an IPv4 or IPv6 address (\"" + lit->value + "\" is not one)");
    return Type::none();
  }
  return Type::array(Type::integer(8, false), v6 ? 16 : 4);
}

// macaddr(mac): six bytes from an array or string of at least six, or read through a
// pointer or an integer address.
Type Checker::checkMacaddr(ast::Call *call) {
  Type mac = check(call->args[0]);
  if (mac.isNone())
    return mac;
  bool pointer = mac.isPointer() || mac.isInt();
  if (!pointer && !((mac.isArray() || mac.isString()) && mac.size() >= 6)) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "macaddr() expects an array of 6 bytes or a pointer to one (" + mac.str() +
                     " provided)");
    return Type::none();
  }
  return Type::macAddr();
}

} // namespace scry::sema
