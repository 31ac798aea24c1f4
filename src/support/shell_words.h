// Splitting a command line into argv as a POSIX shell would, without a shell (for
// scry -c CMD, issue 7): words are separated by blanks; single quotes keep everything
// literally; double quotes keep everything but \" \\ \$ \` and backslash-newline; a
// backslash outside quotes takes the next character literally; adjacent pieces join
// into one word ('a'"b"c is abc) and '' is an empty word. Nothing is expanded:
// $VAR, globs, ~, ;, | and redirections are ordinary characters, because the words go
// straight to execve.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace scry::support {

// Returns false, with `error` naming the problem (an unterminated quote, a trailing
// backslash), when `line` cannot be split.
bool splitShellWords(std::string_view line, std::vector<std::string> &words, std::string &error);

} // namespace scry::support
