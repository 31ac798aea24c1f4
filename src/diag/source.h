// A script's text and name, with byte-offset ranges into it. Every AST node carries a
// SourceRange; lines and columns are computed only when a diagnostic is rendered.
//
// Imported files (`import "lib.bt";`) are parts of the same SourceFile: each part owns
// the offsets [base, base + size], and the next part starts one past that, so one
// uint32 offset names a file, a line and a column, and AST nodes from different files
// can be mixed (a macro from a library expanded into a probe of the main script).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace scry::diag {

// Half-open byte range [begin, end) in a SourceFile.
struct SourceRange {
  uint32_t begin = 0;
  uint32_t end = 0;
  static SourceRange join(SourceRange a, SourceRange b) {
    return {a.begin < b.begin ? a.begin : b.begin, a.end > b.end ? a.end : b.end};
  }
};

struct LineCol {
  uint32_t line = 1; // 1-based
  uint32_t col = 1;  // 1-based, in bytes
};

// One file's text, at offsets [base, base + text.size()] of its SourceFile.
class SourcePart {
public:
  SourcePart(std::string name, std::string text, uint32_t base);

  const std::string &name() const { return name_; }
  const std::string &text() const { return text_; }
  uint32_t base() const { return base_; }
  uint32_t end() const { return base_ + static_cast<uint32_t>(text_.size()); }
  // Offsets are the SourceFile's, not relative to this part.
  std::string_view slice(SourceRange r) const;
  LineCol lineCol(uint32_t offset) const;
  // The text of 1-based line `line`, without its newline.
  std::string_view line(uint32_t line) const;

private:
  std::string name_;
  std::string text_;
  uint32_t base_;
  std::vector<uint32_t> line_starts_; // relative to base_
};

class SourceFile {
public:
  // `name` is what diagnostics print: the path as given, or "stdin" for -e and -.
  SourceFile(std::string name, std::string text);

  // The main script.
  const std::string &name() const { return parts_.front().name(); }
  const std::string &text() const { return parts_.front().text(); }
  // Adds an imported file after the last part; returns the new part (parts never move).
  const SourcePart &addPart(std::string name, std::string text);
  const std::deque<SourcePart> &parts() const { return parts_; }
  // The part whose offsets include `offset` (the last one for offsets past the end),
  // and its index in parts() (0 is the main script).
  const SourcePart &partAt(uint32_t offset) const { return parts_[partIndex(offset)]; }
  size_t partIndex(uint32_t offset) const;

  std::string_view slice(SourceRange r) const { return partAt(r.begin).slice(r); }
  LineCol lineCol(uint32_t offset) const { return partAt(offset).lineCol(offset); }
  const std::string &nameAt(uint32_t offset) const { return partAt(offset).name(); }
  // Line `line` of the main script.
  std::string_view line(uint32_t line) const { return parts_.front().line(line); }

private:
  std::deque<SourcePart> parts_;
};

} // namespace scry::diag
