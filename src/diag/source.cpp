// A script's text and name; maps byte offsets to files, lines and columns.
#include "diag/source.h"

#include <algorithm>

namespace scry::diag {

SourcePart::SourcePart(std::string name, std::string text, uint32_t base)
    : name_(std::move(name)), text_(std::move(text)), base_(base) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      line_starts_.push_back(i + 1);
}

std::string_view SourcePart::slice(SourceRange r) const {
  uint32_t size = static_cast<uint32_t>(text_.size());
  uint32_t b = std::min(r.begin - std::min(r.begin, base_), size);
  uint32_t e = std::min(std::max(r.end - std::min(r.end, base_), b), size);
  return std::string_view(text_).substr(b, e - b);
}

LineCol SourcePart::lineCol(uint32_t offset) const {
  uint32_t relative = std::min(offset - std::min(offset, base_), static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), relative);
  uint32_t line = static_cast<uint32_t>(it - line_starts_.begin());
  return {line, relative - line_starts_[line - 1] + 1};
}

std::string_view SourcePart::line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size())
    return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<uint32_t>(text_.size());
  std::string_view s = std::string_view(text_).substr(start, end - start);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

SourceFile::SourceFile(std::string name, std::string text) {
  parts_.emplace_back(std::move(name), std::move(text), 0);
}

const SourcePart &SourceFile::addPart(std::string name, std::string text) {
  uint32_t base = parts_.back().end() + 1;
  parts_.emplace_back(std::move(name), std::move(text), base);
  return parts_.back();
}

size_t SourceFile::partIndex(uint32_t offset) const {
  auto it = std::upper_bound(parts_.begin(), parts_.end(), offset,
                             [](uint32_t o, const SourcePart &p) { return o < p.base(); });
  return static_cast<size_t>(it - parts_.begin()) - 1;
}

} // namespace scry::diag
