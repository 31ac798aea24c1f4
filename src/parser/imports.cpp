// `import "path";` (bpftrace 0.26): another script's macros, struct definitions, map
// declarations and probes join the program. Each imported file is parsed as a part of
// the one SourceFile, so its diagnostics name it with its own lines. A file is loaded
// once however often it is imported (cycles included), and its own imports come first:
// a library's BEGIN runs before its importer's.
//
// scry compiles no C at run time, so `.h` and `.bpf.c` imports, which bpftrace hands
// to clang, are refused with that reason. Like bpftrace, scry refuses files that every
// user can write (or that sit in such a directory): a tracer runs as root.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "parser/driver.h"
#include "support/strings.h"

namespace scry::parser {

namespace {

namespace fs = std::filesystem;

// Nested imports deeper than this are refused (a chain, not a cycle: cycles end at
// the first file seen twice).
constexpr size_t kMaxImportDepth = 64;
// An imported file larger than this is refused; offsets of all parts share a uint32.
constexpr size_t kMaxImportBytes = 16u << 20;

struct Imported {
  std::vector<ast::Probe *> probes;
  std::vector<ast::StructDef *> structs;
  std::vector<ast::MacroDef *> macros;
  std::vector<ast::MapDecl *> map_decls;
  std::vector<ast::FnDef *> functions; // issue 3: fn
};

bool endsWith(const std::string &s, const char *suffix) {
  size_t n = std::strlen(suffix);
  return s.size() >= n && s.compare(s.size() - n, n, suffix) == 0;
}

class Importer {
public:
  Importer(diag::SourceFile &file, ast::Context &ctx, diag::Diagnostics &diags)
      : file_(file), ctx_(ctx), diags_(diags) {}

  void markSeen(const std::string &path) {
    std::error_code ec;
    fs::path canonical = fs::canonical(path, ec);
    if (!ec)
      seen_.insert(canonical.string());
  }

  // Resolves `decl` (written in a file of directory `dir`) and imports what it names.
  void importDecl(const ImportDecl &decl, const std::string &dir, size_t depth, Imported &out) {
    if (depth > kMaxImportDepth) {
      diags_.error(diag::DiagId::ImportFailed, decl.range,
                   "imports nested more than " + std::to_string(kMaxImportDepth) + " deep");
      return;
    }
    if (decl.path.empty()) {
      diags_.error(diag::DiagId::ImportFailed, decl.range, "import of an empty path");
      return;
    }
    std::string path = decl.path.front() == '/' || dir == "." ? decl.path : dir + "/" + decl.path;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
      diags_.error(diag::DiagId::ImportFailed, decl.range,
                   "cannot import '" + path + "': " + std::strerror(errno));
      return;
    }
    if (!S_ISDIR(st.st_mode)) {
      importFile(decl, path, depth, out);
      return;
    }
    if (!safe(decl, path, path, st))
      return;
    std::vector<std::string> scripts;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(path, ec))
      if (entry.is_regular_file(ec) && endsWith(entry.path().filename().string(), ".bt"))
        scripts.push_back(path + "/" + entry.path().filename().string());
    std::sort(scripts.begin(), scripts.end());
    if (scripts.empty())
      diags_.warning(diag::DiagId::ImportFailed, decl.range,
                     "import of directory '" + path + "' imports nothing: it has no .bt files");
    for (const std::string &script : scripts)
      importFile(decl, script, depth, out);
  }

private:
  // False (after an error at `decl`) when every user may write `checked`, which is
  // the file `path` itself or a directory it is in.
  bool safe(const ImportDecl &decl, const std::string &path, const std::string &checked,
            const struct stat &st) {
    if (!(st.st_mode & S_IWOTH))
      return true;
    std::string who = checked == path ? "it" : "directory '" + checked + "'";
    diags_.error(diag::DiagId::ImportFailed, decl.range,
                 "refusing to import '" + path + "': " + who + " is writable by every user")
        .hint("scry runs as root and will not load code that anyone can change: chmod o-w '" +
              checked + "'");
    return false;
  }

  void importFile(const ImportDecl &decl, const std::string &path, size_t depth, Imported &out) {
    if (endsWith(path, ".h") || endsWith(path, ".c")) {
      diags_.error(diag::DiagId::ImportFailed, decl.range,
                   "cannot import '" + path + "': scry compiles no C at run time")
          .hint("kernel types come from BTF; declare your own structs in a .bt file and "
                "import that");
      return;
    }
    if (!endsWith(path, ".bt")) {
      diags_.error(diag::DiagId::ImportFailed, decl.range,
                   "cannot import '" + path + "': expecting a .bt script or a directory");
      return;
    }
    struct stat st {};
    std::string parent = fs::path(path).parent_path().string();
    if (parent.empty())
      parent = ".";
    struct stat dir_st {};
    if (::stat(path.c_str(), &st) != 0 || ::stat(parent.c_str(), &dir_st) != 0) {
      diags_.error(diag::DiagId::ImportFailed, decl.range,
                   "cannot import '" + path + "': " + std::strerror(errno));
      return;
    }
    if (!safe(decl, path, path, st) || !safe(decl, path, parent, dir_st))
      return;
    std::error_code ec;
    std::string canonical = fs::canonical(path, ec).string();
    if (!ec && !seen_.insert(canonical).second)
      return;
    std::string text;
    if (static_cast<size_t>(st.st_size) > kMaxImportBytes) {
      diags_.error(diag::DiagId::ImportFailed, decl.range,
                   "cannot import '" + path + "': larger than " +
                       std::to_string(kMaxImportBytes >> 20) + " MiB");
      return;
    }
    if (!support::readFile(path, text)) {
      diags_.error(diag::DiagId::ImportFailed, decl.range,
                   "cannot import '" + path + "': " + std::strerror(errno));
      return;
    }
    const diag::SourcePart &part = file_.addPart(path, std::move(text));
    Driver drv(part, ctx_, diags_);
    Parser parser(drv);
    if (parser.parse() != 0 || drv.stopped || !drv.program)
      return;
    if (!drv.program->config.empty())
      diags_.error(diag::DiagId::ImportFailed, drv.program->config.front()->range,
                   "a config block is only allowed in the main script, not in an import");
    for (const ImportDecl &inner : drv.imports)
      importDecl(inner, parent, depth + 1, out);
    ast::Program &program = *drv.program;
    out.probes.insert(out.probes.end(), program.probes.begin(), program.probes.end());
    out.structs.insert(out.structs.end(), program.structs.begin(), program.structs.end());
    out.macros.insert(out.macros.end(), program.macros.begin(), program.macros.end());
    out.functions.insert(out.functions.end(), program.functions.begin(),
                         program.functions.end());
    out.map_decls.insert(out.map_decls.end(), program.map_decls.begin(),
                         program.map_decls.end());
  }

  diag::SourceFile &file_;
  ast::Context &ctx_;
  diag::Diagnostics &diags_;
  std::set<std::string> seen_; // canonical paths of the files loaded so far
};

template <class T> void prepend(std::vector<T> &into, std::vector<T> &items) {
  into.insert(into.begin(), items.begin(), items.end());
}

} // namespace

void resolveImports(ast::Program &program, const std::vector<ImportDecl> &imports,
                    diag::SourceFile &file, const std::string &dir, ast::Context &ctx,
                    diag::Diagnostics &diags) {
  Importer importer(file, ctx, diags);
  if (file.name() != "stdin")
    importer.markSeen(file.name());
  Imported imported;
  for (const ImportDecl &decl : imports)
    importer.importDecl(decl, dir, 1, imported);
  prepend(program.probes, imported.probes);
  prepend(program.structs, imported.structs);
  prepend(program.macros, imported.macros);
  prepend(program.functions, imported.functions);
  prepend(program.map_decls, imported.map_decls);
}

} // namespace scry::parser
