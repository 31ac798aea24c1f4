// Type checking of function calls: arity, argument types, printf formats, and where
// each function may appear.
#include <algorithm>

#include "sema/checker.h"
#include "support/strings.h"

namespace scry::sema {

using ast::Type;
using diag::DiagId;

namespace {

std::string plural(unsigned n, const char *word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

} // namespace

Type Checker::checkCall(ast::Call *call, CallUse use) {
  if (call->id == ast::FuncId::Unknown) {
    auto &d = diags_.error(DiagId::UnknownFunction, call->range, "Unknown function: " + call->name);
    std::vector<std::string> names = ast::functionNames();
    names.insert(names.end(), macro_names_.begin(), macro_names_.end()); // issue 3
    std::string guess = support::closestMatch(call->name, names);
    if (!guess.empty())
      d.hint("did you mean '" + guess + "'?");
    for (auto *arg : call->args)
      check(arg);
    return Type::none();
  }
  size_t errors_before = diags_.errorCount(); // "returns no value" only if nothing else
  unsigned n = static_cast<unsigned>(call->args.size());
  unsigned min = ast::functionMinArgs(call->id), max = ast::functionMaxArgs(call->id);
  if (n < min || n > max) {
    std::string expected = min == max ? "exactly " + plural(min, "argument")
                           : n < min  ? "at least " + plural(min, "argument")
                                      : "at most " + plural(max, "argument");
    diags_.error(DiagId::ArgumentCount, call->range,
                 call->name + "() requires " + expected + " (" + std::to_string(n) +
                     " provided)");
    return Type::none();
  }
  Type result;
  switch (call->id) {
  case ast::FuncId::Count:
    if (use != CallUse::MapValue) {
      diags_.error(DiagId::AggregationInExpression, call->range,
                   "count() should be directly assigned to a map")
          .hint("write @name = count(); or @name[key] = count();");
      return Type::none();
    }
    return Type::count();
  case ast::FuncId::Printf:
    checkPrintf(call);
    checkIterPrintf(call); // checker_probe_funcs.cpp
    break;
  case ast::FuncId::Exit:
    if (n == 1) {
      Type code = check(call->args[0]);
      if (!code.isNone() && !code.isInt())
        diags_.error(DiagId::ArgumentType, call->args[0]->range,
                     "exit() expects an integer exit code (" + code.str() + " provided)");
    }
    break;
  case ast::FuncId::Str:
    return checkStr(call);
  case ast::FuncId::Sum:
    return checkAggregation(call, use, ast::AggKind::Sum);
  case ast::FuncId::Avg:
    return checkAggregation(call, use, ast::AggKind::Avg);
  case ast::FuncId::Min:
    return checkAggregation(call, use, ast::AggKind::Min);
  case ast::FuncId::Max:
    return checkAggregation(call, use, ast::AggKind::Max);
  case ast::FuncId::Stats:
    return checkAggregation(call, use, ast::AggKind::Stats);
  case ast::FuncId::Hist:
    return checkAggregation(call, use, ast::AggKind::Hist);
  case ast::FuncId::Lhist:
    return checkAggregation(call, use, ast::AggKind::LHist);
  case ast::FuncId::Tseries:
    return checkAggregation(call, use, ast::AggKind::TSeries);
  case ast::FuncId::Print:
    checkPrint(call);
    break;
  case ast::FuncId::Clear:
  case ast::FuncId::Zero:
    checkMapArg(call, 0, false);
    break;
  case ast::FuncId::Len:
    result = checkLen(call);
    break;
  case ast::FuncId::Delete:
  case ast::FuncId::HasKey:
    result = checkDeleteOrHasKey(call);
    break;
  // Time, process and system functions (checker_sys.cpp)
  case ast::FuncId::Nsecs:
    result = checkNsecs(call);
    break;
  case ast::FuncId::Time:
    checkTime(call);
    break;
  case ast::FuncId::Strftime:
    result = checkStrftime(call);
    break;
  case ast::FuncId::Cgroupid:
    result = checkCgroupid(call);
    break;
  case ast::FuncId::CgroupPath:
    result = checkCgroupPath(call);
    break;
  case ast::FuncId::Cat:
  case ast::FuncId::Errorf:
  case ast::FuncId::Warnf:
    checkPrintf(call);
    break;
  case ast::FuncId::Join:
    checkJoin(call);
    break;
  case ast::FuncId::System:
    checkSystem(call);
    break;
  case ast::FuncId::Signal:
    checkSignal(call);
    break;
  case ast::FuncId::Override:
    checkOverride(call);
    break;
  case ast::FuncId::Debugf:
    checkDebugf(call);
    break;
  // Stacks and symbols (checker_stacks.cpp); errors are reported there
  case ast::FuncId::Kstack:
  case ast::FuncId::Ustack:
  case ast::FuncId::DwUstack:
    return checkStackCall(call);
  case ast::FuncId::Ksym:
  case ast::FuncId::Usym:
    return checkSymbolCall(call);
  case ast::FuncId::Kaddr:
  case ast::FuncId::Uaddr:
    return checkAddressCall(call);
  // Strings, buffers and addresses (checker_strings.cpp, checker_net.cpp)
  case ast::FuncId::Buf:
    result = checkBuf(call);
    break;
  case ast::FuncId::Strncmp:
  case ast::FuncId::Strcontains:
  case ast::FuncId::Strstr:
  case ast::FuncId::Strlen:
  case ast::FuncId::StrConcat:
    result = checkStringArgs(call);
    break;
  case ast::FuncId::Strerror:
  case ast::FuncId::Bswap:
    result = checkIntegerFunction(call);
    break;
  case ast::FuncId::Kptr:
  case ast::FuncId::Uptr:
    result = checkAddrSpaceCast(call);
    break;
  case ast::FuncId::Path:
    result = checkPath(call);
    break;
  case ast::FuncId::Ntop:
    result = checkNtop(call);
    break;
  case ast::FuncId::Pton:
    result = checkPton(call);
    break;
  case ast::FuncId::Macaddr:
    result = checkMacaddr(call);
    break;
  case ast::FuncId::Reg:
    result = checkReg(call); // checker_probe_funcs.cpp
    break;
  case ast::FuncId::Find:
    result = checkFind(call); // checker_memfuncs.cpp
    break;
  case ast::FuncId::WriteUser:
    checkWriteUser(call); // checker_memfuncs.cpp
    break;
  case ast::FuncId::SocketCookie:
    result = checkSocketCookie(call); // checker_memfuncs.cpp
    break;
  case ast::FuncId::SyscallName:
  case ast::FuncId::SignalName:
    result = checkNameFunction(call); // checker_task.cpp
    break;
  case ast::FuncId::KfuncExist:
    result = checkKfuncExist(call); // checker_task.cpp
    break;
  case ast::FuncId::KfuncAllowed:
    result = checkKfuncAllowed(call); // checker_kfuncs.cpp
    break;
  case ast::FuncId::Typeinfo:
    result = checkTypeinfo(call); // checker_typeinfo.cpp
    break;
  case ast::FuncId::Getopt:
    result = checkGetopt(call); // checker_getopt.cpp
    break;
  case ast::FuncId::CommOf:
    result = checkCommOf(call); // checker_kfuncs.cpp
    break;
  case ast::FuncId::PercpuKaddr:
    result = checkPercpuKaddr(call); // checker_kfuncs.cpp
    break;
  // Compile-time functions and pid(ns) (checker_ctfuncs.cpp); assert() is an `if`
  // after parsing unless its arity is wrong, reported above.
  case ast::FuncId::Pid:
  case ast::FuncId::Tid:
  case ast::FuncId::Fail:
  case ast::FuncId::StaticAssert:
  case ast::FuncId::AssertStr:
  case ast::FuncId::IsPtr:
  case ast::FuncId::IsStr:
  case ast::FuncId::IsInteger:
  case ast::FuncId::IsUnsignedInteger:
  case ast::FuncId::IsArray:
  case ast::FuncId::IsLiteral:
  case ast::FuncId::IsErr:
  case ast::FuncId::ContainerOf:
    result = checkCompileTimeCall(call);
    break;
  case ast::FuncId::SignalThread: // checker_morefuncs.cpp
  case ast::FuncId::Strcap:
  case ast::FuncId::Memcmp:
  case ast::FuncId::Unwatch:
    result = checkMoreFunc(call);
    break;
  case ast::FuncId::Skboutput:
    result = checkSkboutput(call); // checker_skboutput.cpp
    break;
  case ast::FuncId::Assert:
  case ast::FuncId::Unknown:
    break;
  }
  if (use != CallUse::Statement && result.isNone() && diags_.errorCount() == errors_before)
    diags_.error(DiagId::ArgumentType, call->range, call->name + "() returns no value")
        .hint("call it as a statement of its own");
  return result;
}

Type Checker::checkStr(ast::Call *call) {
  Type arg = check(call->args[0]);
  if (arg.isNone())
    return arg;
  if (!arg.isPointer() && !arg.isInt() && !arg.isString()) {
    diags_.error(DiagId::ArgumentType, call->args[0]->range,
                 "str() expects a pointer or an integer address (" + arg.str() + " provided)");
    return Type::none();
  }
  // str(p, len): at most len - 1 characters and the NUL (bpftrace 0.23+, #3849; 0.17
  // read len characters). A length that is not a literal is applied when the probe runs.
  uint32_t size = analysis_.config.max_strlen;
  if (call->args.size() == 2) {
    Type len_type = check(call->args[1]);
    if (!len_type.isNone() && !len_type.isInt()) {
      diags_.error(DiagId::ArgumentType, call->args[1]->range,
                   "str() expects an integer length (" + len_type.str() + " provided)");
      return Type::none();
    }
    if (auto *len = ast::dyn_cast<ast::IntegerLit>(call->args[1]); len && len->value < size)
      size = static_cast<uint32_t>(std::max<uint64_t>(len->value, 1));
  }
  if (arg.isString())
    return arg.size() < size ? arg : Type::string(size);
  return Type::string(size);
}

} // namespace scry::sema
