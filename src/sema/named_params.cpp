// getopt() named parameters: declarations from the AST, values from the command line,
// the -- --help listing. See named_params.h.
#include "sema/named_params.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace scry::sema {

using diag::DiagId;

namespace {

bool isBoolLiteral(const ast::Expr *e, bool &value) {
  auto *b = ast::dyn_cast<ast::Builtin>(e);
  if (!b || (b->id != ast::BuiltinId::True && b->id != ast::BuiltinId::False))
    return false;
  value = b->id == ast::BuiltinId::True;
  return true;
}

// An integer literal, or a negated one (the parser's `-5` is Neg over 5).
bool isIntLiteral(const ast::Expr *e, int64_t &value) {
  if (auto *lit = ast::dyn_cast<ast::IntegerLit>(e)) {
    value = static_cast<int64_t>(lit->value);
    return true;
  }
  auto *neg = ast::dyn_cast<ast::Unary>(e);
  if (!neg || neg->op != ast::UnaryOp::Neg)
    return false;
  auto *lit = ast::dyn_cast<ast::IntegerLit>(neg->operand);
  if (!lit)
    return false;
  value = -static_cast<int64_t>(lit->value);
  return true;
}

// getopt()'s declaration, or false when its arguments are not the literals it takes.
bool declaration(const ast::Call *call, NamedParam &param) {
  if (call->args.empty() || call->args.size() > 3)
    return false;
  auto *name = ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!name)
    return false;
  param.name = name->value;
  param.range = call->range;
  param.kind = NamedParamKind::Bool;
  param.default_text = "false";
  if (call->args.size() >= 2) {
    const ast::Expr *def = call->args[1];
    bool b = false;
    int64_t n = 0;
    if (isBoolLiteral(def, b)) {
      param.int_value = b;
      param.default_text = b ? "true" : "false";
    } else if (isIntLiteral(def, n)) {
      param.kind = NamedParamKind::Int;
      param.int_value = n;
      param.default_text = std::to_string(n);
    } else if (auto *s = ast::dyn_cast<ast::StringLit>(def)) {
      param.kind = NamedParamKind::String;
      param.str_value = s->value;
      param.default_text = s->value;
    } else {
      return false;
    }
  }
  if (call->args.size() == 3) {
    auto *desc = ast::dyn_cast<ast::StringLit>(call->args[2]);
    if (!desc)
      return false;
    param.description = desc->value;
  }
  return true;
}

void collect(ast::Node *node, std::vector<NamedParam> &out) {
  if (auto *call = ast::dyn_cast<ast::Call>(node); call && call->id == ast::FuncId::Getopt) {
    NamedParam param;
    bool known = false;
    for (const auto &p : out)
      known = known || (!call->args.empty() && ast::isa<ast::StringLit>(call->args[0]) &&
                        p.name == ast::cast<ast::StringLit>(call->args[0])->value);
    if (!known && declaration(call, param))
      out.push_back(std::move(param));
  }
  ast::forEachChild(node, [&](ast::Node *child) { collect(child, out); });
}

// "10", "-3", "0x10" and durations ("100ms", "1m": nanoseconds), as integer literals
// and bpftrace's command line read them.
bool parseIntValue(const std::string &text, int64_t &out) {
  static const struct {
    const char *suffix;
    int64_t ns;
  } kUnits[] = {{"ns", 1},           {"us", 1000},           {"ms", 1000000},
                {"s", 1000000000},   {"m", 60000000000},     {"h", 3600000000000},
                {"d", 86400000000000}};
  if (text.empty())
    return false;
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 0);
  if (end == text.c_str() || errno == ERANGE)
    return false;
  std::string rest(end);
  int64_t scale = 1;
  if (!rest.empty()) {
    bool found = false;
    for (const auto &unit : kUnits)
      if (rest == unit.suffix)
        scale = unit.ns, found = true;
    if (!found || __builtin_mul_overflow(static_cast<int64_t>(v), scale, &out))
      return false;
    return true;
  }
  out = v;
  return true;
}

const char *kindWord(NamedParamKind kind) {
  switch (kind) {
  case NamedParamKind::Bool:
    return "a boolean (e.g. 'true')";
  case NamedParamKind::Int:
    return "an integer";
  case NamedParamKind::String:
    return "a string";
  }
  return "";
}

// One command-line value; false (after reporting) when it does not fit.
bool setValue(NamedParam &param, const std::string *value, diag::Diagnostics &diags) {
  auto fail = [&](const std::string &shown) {
    diags.error(DiagId::NamedParameter, "program command line option --" + param.name +
                                            " expects " + kindWord(param.kind) +
                                            " (value: " + shown + ")");
    return false;
  };
  switch (param.kind) {
  case NamedParamKind::Bool:
    if (!value || *value == "true" || *value == "1")
      param.int_value = 1;
    else if (*value == "false" || *value == "0")
      param.int_value = 0;
    else
      return fail(*value);
    return true;
  case NamedParamKind::Int:
    if (!value || !parseIntValue(*value, param.int_value))
      return fail(value ? *value : "true"); // a bare --name is `true`, as in bpftrace
    return true;
  case NamedParamKind::String:
    if (!value)
      return fail("true");
    param.str_value = *value;
    return true;
  }
  return false;
}

} // namespace

std::vector<NamedParam> collectNamedParams(const ast::Program &program) {
  std::vector<NamedParam> out;
  for (auto *probe : program.probes)
    collect(probe, out);
  return out;
}

void applyNamedArgs(std::vector<NamedParam> &params, const std::vector<std::string> &args,
                    diag::Diagnostics &diags) {
  std::vector<std::string> unknown;
  for (const std::string &arg : args) {
    size_t eq = arg.find('=');
    std::string name = arg.substr(0, eq);
    if (name == "help")
      continue;
    NamedParam *param = nullptr;
    for (auto &p : params)
      if (p.name == name)
        param = &p;
    if (!param) {
      unknown.push_back("--" + name);
      continue;
    }
    std::string value = eq == std::string::npos ? "" : arg.substr(eq + 1);
    setValue(*param, eq == std::string::npos ? nullptr : &value, diags);
  }
  if (unknown.empty())
    return;
  std::string list, expected;
  for (const auto &u : unknown)
    list += (list.empty() ? "" : ", ") + u;
  for (const auto &p : params)
    expected += (expected.empty() ? "" : ", ") + ("--" + p.name);
  diags.error(DiagId::NamedParameter, "unexpected program command line options: " + list)
      .hint(params.empty() ? "no custom program options defined."
                           : "expected program options: " + expected);
}

std::string namedParamsHelp(const std::vector<NamedParam> &params) {
  if (params.empty())
    return "The script takes no program options.\n";
  std::ostringstream out;
  out << "PROGRAM OPTIONS (after --):\n";
  for (const auto &p : params) {
    std::string flag = "--" + p.name;
    switch (p.kind) {
    case NamedParamKind::Bool:
      flag += "[=BOOL]";
      break;
    case NamedParamKind::Int:
      flag += "=INT";
      break;
    case NamedParamKind::String:
      flag += "=STRING";
      break;
    }
    out << "    " << flag;
    out << std::string(flag.size() < 22 ? 23 - flag.size() : 1, ' ');
    if (!p.description.empty())
      out << p.description << " ";
    out << "(default: " << (p.kind == NamedParamKind::String ? "\"" + p.default_text + "\""
                                                              : p.default_text)
        << ")\n";
  }
  return out.str();
}

const NamedParam *findNamedParam(const std::vector<NamedParam> &params, const ast::Call *call) {
  auto *name = call->args.empty() ? nullptr : ast::dyn_cast<ast::StringLit>(call->args[0]);
  if (!name)
    return nullptr;
  for (const auto &p : params)
    if (p.name == name->value)
      return &p;
  return nullptr;
}

} // namespace scry::sema
