// A script's text and name, with byte-offset ranges into it. Every AST node carries a
// SourceRange; lines and columns are computed only when a diagnostic is rendered.
#pragma once

#include <cstdint>
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

class SourceFile {
public:
  // `name` is what diagnostics print: the path as given, or "stdin" for -e and -.
  SourceFile(std::string name, std::string text);

  const std::string &name() const { return name_; }
  const std::string &text() const { return text_; }
  std::string_view slice(SourceRange r) const;
  LineCol lineCol(uint32_t offset) const;
  // The text of 1-based line `line`, without its newline.
  std::string_view line(uint32_t line) const;

private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

} // namespace scry::diag
