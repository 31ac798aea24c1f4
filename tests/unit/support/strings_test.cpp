// editDistance and closestMatch: the "did you mean" hints of every stage.
#include <gtest/gtest.h>

#include <random>

#include "support/strings.h"

namespace scry::support {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsSubstitutionsAndSwaps) {
  EXPECT_EQ(editDistance("", ""), 0u);
  EXPECT_EQ(editDistance("count", "count"), 0u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(editDistance("cuont", "count"), 1u); // a swap is one edit
  EXPECT_EQ(editDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(editDistance("ca", "abc"), 3u); // optimal string alignment, not Damerau
}

// The bounded form agrees with the full distance wherever it is within the bound, and
// says bound + 1 otherwise, on random words over a small alphabet (many near misses).
TEST(EditDistance, WithinABoundAgreesWithTheFullDistance) {
  std::mt19937 rng(7);
  auto word = [&] {
    std::string w(rng() % 9, 'a');
    for (char &c : w)
      c = static_cast<char>('a' + rng() % 3);
    return w;
  };
  for (int n = 0; n < 20000; ++n) {
    std::string a = word(), b = word();
    size_t full = editDistance(a, b);
    for (size_t bound = 0; bound <= 9; ++bound)
      ASSERT_EQ(editDistanceWithin(a, b, bound), std::min(full, bound + 1))
          << a << " / " << b << " bound " << bound;
  }
}

TEST(ClosestMatch, PicksTheNearestPlausibleCandidate) {
  std::vector<std::string> names = {"count", "sum", "hist", "lhist", "printf", "print"};
  EXPECT_EQ(closestMatch("cuont", names), "count");
  EXPECT_EQ(closestMatch("prinf", names), "printf"); // distance 1 to both: the first wins
  EXPECT_EQ(closestMatch("lhst", names), "lhist");
  EXPECT_EQ(closestMatch("zzzzzz", names), "");
  EXPECT_EQ(closestMatch("x", {}), "");
}

} // namespace
} // namespace scry::support
