// Configuration: the script's `config = { ... }` block and the BPFTRACE_* environment
// variables, which override it (as in bpftrace). bpftrace's keys are rows in kKeys;
// those scry does not act on yet are accepted with a warning, so a script written for
// bpftrace runs, and says what it asked for that is not done.
#include <cstdlib>

#include "sema/checker.h"

namespace scry::sema {

using diag::DiagId;

namespace {

struct Key {
  const char *name;
  uint32_t Config::*field; // null: accepted, not acted on yet
  uint64_t min, max;
};

constexpr Key kKeys[] = {
    {"max_strlen", &Config::max_strlen, 2, 1024},
    {"max_map_keys", &Config::max_map_keys, 1, 1u << 24},
    {"cpp_demangle", nullptr, 0, 0},       {"lazy_symbolication", nullptr, 0, 0},
    {"log_size", nullptr, 0, 0},           {"max_bpf_progs", nullptr, 0, 0},
    {"max_cat_bytes", &Config::max_cat_bytes, 1, 1u << 30},
    {"max_probes", nullptr, 0, 0},
    {"missing_probes", nullptr, 0, 0},     {"on_stack_limit", nullptr, 0, 0},
    {"perf_rb_pages", &Config::perf_rb_pages, 1, 1u << 18},
    {"print_maps_on_exit", nullptr, 0, 0},
    {"stack_mode", nullptr, 0, 0},         {"str_trunc_trailer", nullptr, 0, 0},
    {"license", nullptr, 0, 0},            {"cache_user_symbols", nullptr, 0, 0},
    {"use_blazesym", nullptr, 0, 0},       {"show_debug_info", nullptr, 0, 0},
    {"unstable_tseries", nullptr, 0, 0},
    {"unstable_import_statement", nullptr, 0, 0},
};

// Keys bpftrace itself deprecated: accepted and ignored.
constexpr const char *kDeprecated[] = {"symbol_source", "max_type_res_iterations",
                                       "unstable_addr", "unstable_import", "unstable_macro",
                                       "unstable_map_decl"};

// Environment-only variables (not config keys) that scry reads or accepts.
constexpr const char *kEnvironmentOnly[] = {
    "BPFTRACE_BTF",          "BPFTRACE_COLOR",          "BPFTRACE_VMLINUX",
    "BPFTRACE_KERNEL_SOURCE", "BPFTRACE_KERNEL_BUILD",  "BPFTRACE_KCONFIG_TEST",
    "BPFTRACE_DUMMY_TS_MAP",
    "BPFTRACE_MISSING_PROBES", // read before expansion (missing_probes.cpp)
};

// bpftrace 0.17's names, renamed since: old -> new.
struct Renamed {
  const char *old_name;
  const char *new_name;
};
constexpr Renamed kRenamed[] = {
    {"BPFTRACE_STRLEN", "BPFTRACE_MAX_STRLEN"},
    {"BPFTRACE_MAP_KEYS_MAX", "BPFTRACE_MAX_MAP_KEYS"},
    {"BPFTRACE_CAT_BYTES_MAX", "BPFTRACE_MAX_CAT_BYTES"},
    {"BPFTRACE_NO_CPP_DEMANGLE", "BPFTRACE_CPP_DEMANGLE"},
};

const Key *findKey(const std::string &name) {
  for (const auto &key : kKeys)
    if (name == key.name)
      return &key;
  return nullptr;
}

bool isDeprecated(const std::string &name) {
  for (const char *d : kDeprecated)
    if (name == d)
      return true;
  return false;
}

std::string lower(std::string s) {
  for (char &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Applies `value` to `key`; returns an error text, or "" when it was applied.
std::string setKey(const Key &key, uint64_t value, Config &config) {
  if (value < key.min || value > key.max)
    return "expected an integer from " + std::to_string(key.min) + " to " +
           std::to_string(key.max);
  config.*key.field = static_cast<uint32_t>(value);
  return "";
}

// The unstable_* keys scry honours (the others are accepted and ignored), and their
// environment variables.
struct UnstableKey {
  const char *key;
  const char *env;
  Config::Unstable Config::*field;
};
constexpr UnstableKey kUnstableKeys[] = {
    {"unstable_typeinfo", "BPFTRACE_UNSTABLE_TYPEINFO", &Config::unstable_typeinfo},
    {"unstable_dw_ustack", "BPFTRACE_UNSTABLE_DW_USTACK", &Config::unstable_dw_ustack},
};

// An unstable_* key takes enable, warn or error: "" when `value` is one.
std::string setUnstable(const std::string &value, Config::Unstable &out) {
  if (value == "enable")
    out = Config::Unstable::Enable;
  else if (value == "warn")
    out = Config::Unstable::Warn;
  else if (value == "error")
    out = Config::Unstable::Error;
  else
    return "expected enable, warn or error";
  return "";
}

const UnstableKey *findUnstableKey(const std::string &key) {
  for (const UnstableKey &u : kUnstableKeys)
    if (key == u.key)
      return &u;
  return nullptr;
}

// stack_mode (issue 5) takes a word, not an integer: "" when `value` is one.
std::string setStackMode(const std::string &value, Config &config) {
  return parseStackMode(value, config.stack_mode) ? "" : "expected bpftrace, perf or raw";
}

void applyEnvironment(const std::string &name, const std::string &value, Config &config,
                      diag::Diagnostics &diags) {
  if (name == "BPFTRACE_STR_TRUNC_TRAILER") { // any text, "" included
    config.str_trunc_trailer = value;
    return;
  }
  for (const UnstableKey &u : kUnstableKeys) {
    if (name == u.env) {
      std::string error = setUnstable(value, config.*u.field);
      if (!error.empty())
        diags.error(DiagId::ConfigKey, "Invalid value for " + name + "=" + value + ": " + error);
      return;
    }
  }
  if (name == "BPFTRACE_STACK_MODE") {
    std::string error = setStackMode(value, config);
    if (!error.empty())
      diags.error(DiagId::ConfigKey, "Invalid value for " + name + "=" + value + ": " + error);
    return;
  }
  for (const char *only : kEnvironmentOnly)
    if (name == only)
      return;
  for (const auto &r : kRenamed) {
    if (name == r.old_name) {
      diags.warning(DiagId::ConfigKey, std::string(r.old_name) + " was renamed to " +
                                           r.new_name + "; set that instead (ignored)");
      return;
    }
  }
  std::string key_name = lower(name.substr(sizeof("BPFTRACE_") - 1));
  const Key *key = findKey(key_name);
  if (!key) {
    diags.warning(DiagId::ConfigKey, "Unrecognized environment variable " + name + " (ignored)");
    return;
  }
  if (!key->field) {
    diags.warning(DiagId::ConfigKey, name + " has no effect in this version of scry");
    return;
  }
  char *end = nullptr;
  uint64_t n = std::strtoull(value.c_str(), &end, 10);
  std::string error = value.empty() || *end ? "expected an integer" : setKey(*key, n, config);
  if (!error.empty())
    diags.error(DiagId::ConfigKey, "Invalid value for " + name + "=" + value + ": " + error);
}

} // namespace

void applyConfig(const std::vector<ast::ConfigItem *> &items,
                 const std::vector<std::pair<std::string, std::string>> &environment,
                 Config &config, diag::Diagnostics &diags) {
  for (auto *item : items) {
    if (item->key == "missing_probes")
      continue; // read before expansion, which needs it (missing_probes.cpp)
    if (item->key == "export") {
      auto *text = ast::dyn_cast<ast::StringLit>(item->value);
      if (text && text->value.starts_with("prometheus="))
        config.export_spec = text->value;
      else
        diags.error(DiagId::ConfigKey, item->value->range,
                    "Invalid value for config key export: expected \"prometheus=[ADDR:]PORT\"");
      continue;
    }
    if (item->key == "str_trunc_trailer") { // a string, "" for no trailer
      if (auto *text = ast::dyn_cast<ast::StringLit>(item->value))
        config.str_trunc_trailer = text->value;
      else
        diags.error(DiagId::ConfigKey, item->value->range,
                    "Invalid value for config key str_trunc_trailer: expected a string");
      continue;
    }
    if (const UnstableKey *u = findUnstableKey(item->key)) {
      auto *word = ast::dyn_cast<ast::StringLit>(item->value);
      std::string error = word ? setUnstable(word->value, config.*u->field)
                               : "expected enable, warn or error";
      if (!error.empty())
        diags.error(DiagId::ConfigKey, item->value->range,
                    "Invalid value for config key " + item->key + ": " + error);
      continue;
    }
    if (item->key == "stack_mode") {
      auto *word = ast::dyn_cast<ast::StringLit>(item->value);
      std::string error = word ? setStackMode(word->value, config) : "expected bpftrace, perf or raw";
      if (!error.empty())
        diags.error(DiagId::ConfigKey, item->value->range,
                    "Invalid value for config key stack_mode: " + error);
      continue;
    }
    const Key *key = findKey(item->key);
    if (!key && isDeprecated(item->key)) {
      diags.warning(DiagId::ConfigKey, item->range,
                    "Config key " + item->key + " is deprecated and has no effect");
      continue;
    }
    if (!key) {
      diags.warning(DiagId::ConfigKey, item->range, "Unrecognized config key: " + item->key)
          .hint("known keys include max_strlen and max_map_keys");
      continue;
    }
    if (!key->field) {
      diags.warning(DiagId::ConfigKey, item->range,
                    "Config key " + item->key + " has no effect in this version of scry");
      continue;
    }
    auto *lit = ast::dyn_cast<ast::IntegerLit>(item->value);
    std::string error = lit ? setKey(*key, lit->value, config) : "expected an integer";
    if (!error.empty())
      diags.error(DiagId::ConfigKey, item->value->range,
                  "Invalid value for config key " + item->key + ": " + error);
  }
  for (const auto &[name, value] : environment)
    applyEnvironment(name, value, config, diags);
}

bool allowUnstable(const std::string &feature, Config::Unstable setting, bool &warned,
                   diag::SourceRange where, diag::Diagnostics &diags) {
  switch (setting) {
  case Config::Unstable::Error:
    diags.error(DiagId::UnstableFeature, where,
                feature + " feature is not enabled by default. To enable this unstable "
                          "feature, set the config flag to enable. unstable_" +
                    feature + "=enable");
    return false;
  case Config::Unstable::Warn:
    if (!warned) // bpftrace's warning names no place, and comes once
      diags.warning(DiagId::UnstableFeature,
                    "Script is using an unstable feature: " + feature +
                        ". To prevent this warning you must explicitly enable it in the "
                        "config e.g. unstable_" +
                        feature + "=enable");
    warned = true;
    return true;
  case Config::Unstable::Enable:
    return true;
  }
  return false;
}

} // namespace scry::sema
