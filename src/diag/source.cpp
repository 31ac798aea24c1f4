// A script's text and name; maps byte offsets to lines and columns.
#include "diag/source.h"

#include <algorithm>

namespace scry::diag {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      line_starts_.push_back(i + 1);
}

std::string_view SourceFile::slice(SourceRange r) const {
  uint32_t size = static_cast<uint32_t>(text_.size());
  uint32_t b = std::min(r.begin, size);
  uint32_t e = std::min(std::max(r.end, b), size);
  return std::string_view(text_).substr(b, e - b);
}

LineCol SourceFile::lineCol(uint32_t offset) const {
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  return {line, offset - line_starts_[line - 1] + 1};
}

std::string_view SourceFile::line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size())
    return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  std::string_view s = std::string_view(text_).substr(start, end - start);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

} // namespace scry::diag
