// Shell-like splitting of a command line (see shell_words.h).
#include "support/shell_words.h"

namespace scry::support {

namespace {

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

// Characters a backslash escapes inside double quotes (others keep the backslash).
bool escapableInDoubleQuotes(char c) { return c == '"' || c == '\\' || c == '$' || c == '`'; }

} // namespace

bool splitShellWords(std::string_view line, std::vector<std::string> &words, std::string &error) {
  words.clear();
  std::string word;
  bool in_word = false; // a word has started, possibly empty ('')
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (isBlank(c)) {
      if (in_word)
        words.push_back(std::move(word));
      word.clear();
      in_word = false;
      ++i;
      continue;
    }
    in_word = true;
    if (c == '\\') {
      if (i + 1 >= line.size()) {
        error = "the command ends with a lone backslash";
        return false;
      }
      if (line[i + 1] != '\n') // backslash-newline continues the line
        word += line[i + 1];
      i += 2;
    } else if (c == '\'') {
      size_t end = line.find('\'', i + 1);
      if (end == std::string_view::npos) {
        error = "unterminated single quote in the command";
        return false;
      }
      word.append(line.substr(i + 1, end - i - 1));
      i = end + 1;
    } else if (c == '"') {
      ++i;
      while (i < line.size() && line[i] != '"') {
        if (line[i] == '\\' && i + 1 < line.size() &&
            (escapableInDoubleQuotes(line[i + 1]) || line[i + 1] == '\n')) {
          if (line[i + 1] != '\n')
            word += line[i + 1];
          i += 2;
          continue;
        }
        word += line[i++];
      }
      if (i >= line.size()) {
        error = "unterminated double quote in the command";
        return false;
      }
      ++i; // the closing quote
    } else {
      word += c;
      ++i;
    }
  }
  if (in_word)
    words.push_back(std::move(word));
  if (words.empty()) {
    error = "the command is empty";
    return false;
  }
  return true;
}

} // namespace scry::support
