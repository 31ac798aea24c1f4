// splitShellWords: -c CMD's argv as a POSIX shell would split it, with nothing expanded.
#include <gtest/gtest.h>

#include "support/shell_words.h"

namespace scry::support {
namespace {

std::vector<std::string> split(std::string_view line) {
  std::vector<std::string> words;
  std::string error;
  EXPECT_TRUE(splitShellWords(line, words, error)) << line << ": " << error;
  return words;
}

std::string failure(std::string_view line) {
  std::vector<std::string> words;
  std::string error;
  EXPECT_FALSE(splitShellWords(line, words, error)) << line;
  return error;
}

using Words = std::vector<std::string>;

TEST(ShellWords, Blanks) {
  EXPECT_EQ(split("cat /etc/hostname"), (Words{"cat", "/etc/hostname"}));
  EXPECT_EQ(split("  ls\t-l \n /tmp  "), (Words{"ls", "-l", "/tmp"}));
}

TEST(ShellWords, SingleQuotesKeepEverything) {
  EXPECT_EQ(split("echo 'a b'  'c\\d' '$HOME \"x\"'"),
            (Words{"echo", "a b", "c\\d", "$HOME \"x\""}));
}

TEST(ShellWords, DoubleQuotesEscapeOnlySome) {
  EXPECT_EQ(split(R"(printf "%s\n" "a \"b\" \\ \$x \`y\` \q")"),
            (Words{"printf", R"(%s\n)", R"(a "b" \ $x `y` \q)"}));
}

TEST(ShellWords, BackslashOutsideQuotes) {
  EXPECT_EQ(split(R"(echo a\ b \'c\' \\)"), (Words{"echo", "a b", "'c'", "\\"}));
  EXPECT_EQ(split("echo a\\\nb"), (Words{"echo", "ab"})); // line continuation
}

TEST(ShellWords, AdjacentPiecesJoin) {
  EXPECT_EQ(split(R"(x'a b'"c d"e)"), (Words{"xa bc de"}));
}

TEST(ShellWords, EmptyQuotesAreAnEmptyWord) {
  EXPECT_EQ(split("prog '' \"\" x"), (Words{"prog", "", "", "x"}));
}

TEST(ShellWords, NothingIsExpanded) {
  EXPECT_EQ(split("sh -c $HOME;ls|wc>out *.c ~"),
            (Words{"sh", "-c", "$HOME;ls|wc>out", "*.c", "~"}));
}

TEST(ShellWords, Errors) {
  EXPECT_EQ(failure("echo 'abc"), "unterminated single quote in the command");
  EXPECT_EQ(failure("echo \"abc"), "unterminated double quote in the command");
  EXPECT_EQ(failure("echo \"a\\\""), "unterminated double quote in the command");
  EXPECT_EQ(failure("echo abc\\"), "the command ends with a lone backslash");
  EXPECT_EQ(failure("   "), "the command is empty");
  EXPECT_EQ(failure(""), "the command is empty");
}

} // namespace
} // namespace scry::support
