// Small string helpers shared by every stage.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scry::support {

// Splits on every occurrence of `sep`; empty pieces are kept.
std::vector<std::string> split(std::string_view text, char sep);

// Joins `parts` with `sep` between them.
std::string join(const std::vector<std::string> &parts, std::string_view sep);

// Levenshtein distance (a swap of neighbours counting as one edit), for "did you
// mean" hints.
size_t editDistance(std::string_view a, std::string_view b);
// The same, or `bound + 1` as soon as the distance is known to exceed `bound`.
size_t editDistanceWithin(std::string_view a, std::string_view b, size_t bound);

// The candidate closest to `word` within a distance that makes a typo plausible
// (at most a third of the word's length, at least 1), or "" when none is that close.
std::string closestMatch(std::string_view word, const std::vector<std::string> &candidates);

// Shell-style glob match supporting `*` and `?` (no character classes).
bool globMatch(std::string_view pattern, std::string_view text);

// Reads a whole file; returns false (and leaves errno set) when it cannot be read.
bool readFile(const std::string &path, std::string &out);

} // namespace scry::support
