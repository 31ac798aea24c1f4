// Collects diagnostics and renders them in bpftrace's format.
#include "diag/diagnostics.h"

#include <ostream>

namespace scry::diag {

const char *diagIdName(DiagId id) {
  switch (id) {
#define DIAG(id, summary)                                                                          \
  case DiagId::id:                                                                                 \
    return #id;
#include "diag/diag_ids.def"
#undef DIAG
  }
  return "?";
}

Diagnostic &Diagnostics::error(DiagId id, SourceRange range, std::string message) {
  ++errors_;
  diags_.push_back({id, Level::Error, true, range, std::move(message), {}});
  return diags_.back();
}

Diagnostic &Diagnostics::warning(DiagId id, SourceRange range, std::string message) {
  diags_.push_back({id, Level::Warning, true, range, std::move(message), {}});
  return diags_.back();
}

Diagnostic &Diagnostics::error(DiagId id, std::string message) {
  ++errors_;
  diags_.push_back({id, Level::Error, false, {}, std::move(message), {}});
  return diags_.back();
}

bool Diagnostics::has(DiagId id) const {
  for (const auto &d : diags_)
    if (d.id == id)
      return true;
  return false;
}

void Diagnostics::render(std::ostream &out, bool warnings, bool color) const {
  for (const auto &d : diags_)
    if (warnings || d.level == Level::Error)
      out << renderOne(d, file_, color);
}

void Diagnostics::flush(std::ostream &out, bool warnings, bool color) {
  render(out, warnings, color);
  diags_.clear();
}

namespace {

// Expands tabs to four spaces, as bpftrace does, and returns the expanded width of
// the first `upto` bytes so markers line up with the expanded text.
std::string expandTabs(std::string_view line) {
  std::string out;
  for (char c : line)
    out += c == '\t' ? std::string(4, ' ') : std::string(1, c);
  return out;
}

size_t expandedWidth(std::string_view line, size_t upto) {
  size_t w = 0;
  for (size_t i = 0; i < upto && i < line.size(); ++i)
    w += line[i] == '\t' ? 4 : 1;
  return w + (upto > line.size() ? upto - line.size() : 0);
}

} // namespace

std::string renderOne(const Diagnostic &d, const SourceFile *file, bool color) {
  const char *level = d.level == Level::Error ? "ERROR" : "WARNING";
  const char *on = "", *off = "";
  if (color) {
    on = d.level == Level::Error ? "\033[31m" : "\033[33m";
    off = "\033[0m";
  }
  std::string out;
  if (!d.has_range || !file) {
    out += std::string(on) + level + ": " + d.message + off + "\n";
  } else {
    LineCol b = file->lineCol(d.range.begin);
    uint32_t end = d.range.end > d.range.begin ? d.range.end : d.range.begin + 1;
    LineCol e = file->lineCol(end - 1);
    out += on + file->name() + ":" + std::to_string(b.line) + ":";
    if (b.line == e.line) {
      out += std::to_string(b.col) + "-" + std::to_string(e.col + 1);
    } else {
      out = on + file->name() + ":" + std::to_string(b.line) + "-" + std::to_string(e.line);
    }
    out += std::string(": ") + level + ": " + d.message + off + "\n";
    for (uint32_t l = b.line; l <= e.line; ++l)
      out += expandTabs(file->line(l)) + "\n";
    if (b.line == e.line) {
      std::string_view text = file->line(b.line);
      size_t from = expandedWidth(text, b.col - 1);
      size_t to = expandedWidth(text, e.col);
      out += std::string(from, ' ') + std::string(to > from ? to - from : 1, '~') + "\n";
    }
  }
  for (const auto &h : d.hints)
    out += "HINT: " + h + "\n";
  return out;
}

} // namespace scry::diag
