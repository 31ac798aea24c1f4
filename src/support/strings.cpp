// Small string helpers shared by every stage.
#include "support/strings.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace scry::support {

std::vector<std::string> split(std::string_view text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t pos = text.find(sep, start);
    if (pos == std::string_view::npos) {
      parts.emplace_back(text.substr(start));
      return parts;
    }
    parts.emplace_back(text.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string join(const std::vector<std::string> &parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i)
      out += sep;
    out += parts[i];
  }
  return out;
}

// Optimal string alignment distance: Levenshtein plus the swap of two neighbouring
// characters as one edit, the most common typo ("cuont" for "count"). Stops early with
// bound + 1 once every cell of a row exceeds `bound`: no cell of a later row is smaller
// than the smallest of an earlier one (a swap from two rows up costs no less than the
// substitution through the row between).
size_t editDistanceWithin(std::string_view a, std::string_view b, size_t bound) {
  size_t length_gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (length_gap > bound)
    return bound + 1;
  std::vector<size_t> prev2(b.size() + 1), prev(b.size() + 1), row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    size_t row_min = row[0];
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], prev2[j - 2] + 1);
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > bound)
      return bound + 1;
    std::swap(prev2, prev);
    std::swap(prev, row);
  }
  return std::min(prev[b.size()], bound + 1);
}

size_t editDistance(std::string_view a, std::string_view b) {
  return editDistanceWithin(a, b, std::max(a.size(), b.size()));
}

std::string closestMatch(std::string_view word, const std::vector<std::string> &candidates) {
  size_t limit = std::max<size_t>(1, word.size() / 3);
  std::string best;
  size_t best_dist = limit + 1;
  for (const auto &c : candidates) {
    size_t d = editDistanceWithin(word, c, best_dist - 1);
    if (d < best_dist) {
      best_dist = d;
      best = c;
    }
  }
  return best;
}

bool globMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

bool readFile(const std::string &path, std::string &out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

} // namespace scry::support
