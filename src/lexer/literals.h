// Integer and string literal decoding for the scanner (lexer.l): the parts of lexing
// that are easier to read, and to test, as plain functions than as regular expressions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "diag/diagnostics.h"

namespace scry::lexer {

// The value of an integer literal as written: decimal, `0x` hex, `0`-prefixed octal,
// `_` between digits (`1_000`), a C suffix (u U l L ul UL ll LL ull ULL, ignored), or
// decimal scientific form (`1e3`). nullopt when malformed or above UINT64_MAX.
std::optional<uint64_t> parseInteger(std::string_view text);

// Decodes the text between a string literal's quotes: C escapes, `\NNN` octal (1-3
// digits, at most 0377) and `\xHH` hex (1-2 digits). An unknown or malformed escape is
// reported as InvalidEscape with its range (`body_offset` is where `body` starts in the
// file) and decodes as the escaped character itself.
std::string decodeString(std::string_view body, uint32_t body_offset, diag::Diagnostics &diags);

} // namespace scry::lexer
