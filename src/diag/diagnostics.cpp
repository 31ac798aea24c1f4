// Collects diagnostics and renders them in bpftrace's format.
#include "diag/diagnostics.h"

#include <algorithm>
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

Diagnostic &Diagnostics::warning(DiagId id, std::string message) {
  diags_.push_back({id, Level::Warning, false, {}, std::move(message), {}});
  return diags_.back();
}

bool Diagnostics::has(DiagId id) const {
  for (const auto &d : diags_)
    if (d.id == id)
      return true;
  return false;
}

void Diagnostics::render(std::ostream &out, bool warnings, bool color) const {
  size_t shown = 0, hidden = 0;
  for (const auto &d : diags_) {
    if (!warnings && d.level != Level::Error)
      continue;
    if (shown == kMaxRendered) {
      ++hidden;
      continue;
    }
    out << renderOne(d, file_, color);
    ++shown;
  }
  if (hidden)
    out << "ERROR: " << hidden << " more " << (hidden == 1 ? "diagnostic" : "diagnostics")
        << " not shown (is this a script?)\n";
}

void Diagnostics::flush(std::ostream &out, bool warnings, bool color) {
  render(out, warnings, color);
  diags_.clear();
}

namespace {

// Source lines longer than this are shown as a window around the range.
constexpr size_t kMaxShownLine = 200;
// Lines shown of a range that spans several.
constexpr uint32_t kMaxShownLines = 5;

// Control bytes (ESC, NUL, ...) would reach the user's terminal: one '?' each, so the
// markers stay aligned.
std::string printable(std::string_view text) {
  std::string out(text);
  for (char &c : out)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f)
      c = '?';
  return out;
}

// Expands tabs to four spaces, as bpftrace does, and returns the expanded width of
// the first `upto` bytes so markers line up with the expanded text.
std::string expandTabs(std::string_view line) {
  std::string out;
  for (char c : printable(line))
    out += c == '\t' ? std::string(4, ' ') : std::string(1, c);
  return out;
}

// Cuts `line` down to about kMaxShownLine bytes around columns [b, e) (0-based), with
// "..." where it was cut; `b` and `e` are moved to match.
std::string_view clipLine(std::string_view line, size_t &b, size_t &e, std::string &prefix,
                          std::string &suffix) {
  if (line.size() <= kMaxShownLine)
    return line;
  size_t from = b > kMaxShownLine / 4 ? b - kMaxShownLine / 4 : 0;
  size_t to = std::min(line.size(), from + kMaxShownLine);
  if (from > 0)
    prefix = "...";
  if (to < line.size())
    suffix = "...";
  b = b - from + prefix.size();
  e = std::min(e, to) - from + prefix.size();
  if (e < b)
    e = b;
  return line.substr(from, to - from);
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
    out += std::string(on) + level + ": " + printable(d.message) + off + "\n";
  } else {
    // A range is shown in the file where it begins (a join of nodes from two files,
    // which macro expansion can make, is cut at that file's end).
    const SourcePart &part = file->partAt(d.range.begin);
    LineCol b = part.lineCol(d.range.begin);
    uint32_t end = d.range.end > d.range.begin ? d.range.end : d.range.begin + 1;
    end = std::min(end, std::max(part.end(), d.range.begin + 1));
    LineCol e = part.lineCol(end - 1);
    out += on + part.name() + ":" + std::to_string(b.line) + ":";
    if (b.line == e.line) {
      out += std::to_string(b.col) + "-" + std::to_string(e.col + 1);
    } else {
      out = on + part.name() + ":" + std::to_string(b.line) + "-" + std::to_string(e.line);
    }
    out += std::string(": ") + level + ": " + printable(d.message) + off + "\n";
    if (b.line == e.line) {
      size_t col_b = b.col - 1, col_e = e.col;
      std::string prefix, suffix;
      std::string_view text = clipLine(part.line(b.line), col_b, col_e, prefix, suffix);
      std::string shown = prefix + std::string(text) + suffix;
      out += expandTabs(shown) + "\n";
      size_t from = expandedWidth(shown, col_b);
      size_t to = expandedWidth(shown, col_e);
      out += std::string(from, ' ') + std::string(to > from ? to - from : 1, '~') + "\n";
    } else {
      for (uint32_t l = b.line; l <= e.line; ++l) {
        if (l - b.line == kMaxShownLines - 1 && l < e.line) {
          out += "...\n";
          l = e.line;
        }
        size_t col_b = 0, col_e = 0;
        std::string prefix, suffix;
        std::string_view text = clipLine(part.line(l), col_b, col_e, prefix, suffix);
        out += expandTabs(prefix + std::string(text) + suffix) + "\n";
      }
    }
  }
  for (const auto &h : d.hints)
    out += "HINT: " + printable(h) + "\n";
  return out;
}

} // namespace scry::diag
