// Collects errors and warnings with source ranges, and renders them in the format
// bpftrace users know:
//   FILE:LINE:COL-COL: ERROR: message
//   <source line>
//   <~ under the range>
//   HINT: ...
// Passes never throw or exit for user errors; they report here and the pipeline stops
// at the next stage boundary when ok() is false.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "diag/source.h"

namespace scry::diag {

enum class DiagId {
#define DIAG(id, summary) id,
#include "diag/diag_ids.def"
#undef DIAG
};

const char *diagIdName(DiagId id);

enum class Level { Error, Warning };

struct Diagnostic {
  DiagId id;
  Level level;
  bool has_range = false;
  SourceRange range;
  std::string message;
  std::vector<std::string> hints;

  Diagnostic &hint(std::string text) {
    hints.push_back(std::move(text));
    return *this;
  }
};

class Diagnostics {
public:
  // Diagnostics render() shows; a binary file would otherwise give one per byte.
  static constexpr size_t kMaxRendered = 50;

  // `file` may be null for errors that happen before any script is read.
  explicit Diagnostics(const SourceFile *file = nullptr) : file_(file) {}

  void setFile(const SourceFile *file) { file_ = file; }
  const SourceFile *file() const { return file_; }

  Diagnostic &error(DiagId id, SourceRange range, std::string message);
  Diagnostic &warning(DiagId id, SourceRange range, std::string message);
  // For conditions with no place in the script (environment, kernel).
  Diagnostic &error(DiagId id, std::string message);
  Diagnostic &warning(DiagId id, std::string message);

  bool ok() const { return errors_ == 0; }
  size_t errorCount() const { return errors_; }
  const std::vector<Diagnostic> &all() const { return diags_; }
  bool has(DiagId id) const;

  // Renders every diagnostic in the order reported, up to kMaxRendered, then one line
  // counting the rest. Warnings are skipped when `warnings` is false. Colour is used
  // when `color` is true.
  void render(std::ostream &out, bool warnings = true, bool color = false) const;
  // Renders and forgets what was rendered, so diagnostics of a later stage print once.
  void flush(std::ostream &out, bool warnings = true, bool color = false);

private:
  const SourceFile *file_;
  std::vector<Diagnostic> diags_;
  size_t errors_ = 0;
};

// Renders one diagnostic; exposed for tests.
std::string renderOne(const Diagnostic &d, const SourceFile *file, bool color = false);

} // namespace scry::diag
