// Buffers, IP and MAC addresses and truncated strings: decoding from their byte
// layouts and their text and JSON forms; and the printf format parser they share.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstring>

#include "runtime/bytes_format.h"
#include "runtime/map_print.h"
#include "support/format_spec.h"

using namespace scry::runtime;
using scry::object::ValueKind;
using scry::object::ValueType;

namespace {

ValueType typeOf(ValueKind kind, uint32_t size) {
  ValueType t;
  t.kind = kind;
  t.size = size;
  return t;
}

std::vector<uint8_t> bufferBytes(uint32_t length, const std::string &data, uint32_t capacity) {
  std::vector<uint8_t> bytes(4 + capacity, 0);
  std::memcpy(bytes.data(), &length, 4);
  std::memcpy(bytes.data() + 4, data.data(), data.size());
  return bytes;
}

std::vector<uint8_t> inetBytes(uint64_t af, std::vector<uint8_t> addr) {
  std::vector<uint8_t> bytes(24, 0);
  std::memcpy(bytes.data(), &af, 8);
  std::memcpy(bytes.data() + 8, addr.data(), addr.size());
  return bytes;
}

} // namespace

TEST(BytesFormat, BufferStyles) {
  std::vector<uint8_t> b = {'o', 'k', 0, 0x0a, 0xfe, ' ', '~', 0x7f};
  EXPECT_EQ(formatBuffer(b), "ok\\x00\\x0a\\xfe ~\\x7f");
  EXPECT_EQ(formatBuffer(b, BufferStyle::Escaped), "\\x6f\\x6b\\x00\\x0a\\xfe\\x20\\x7e\\x7f");
  EXPECT_EQ(formatBuffer(b, BufferStyle::Spaced), "6f 6b 00 0a fe 20 7e 7f");
  EXPECT_EQ(formatBuffer({}), "");
}

TEST(BytesFormat, Addresses) {
  uint8_t v4[16] = {127, 0, 0, 1};
  EXPECT_EQ(formatInet(AF_INET, v4), "127.0.0.1");
  uint8_t v6[16] = {};
  v6[15] = 1;
  EXPECT_EQ(formatInet(AF_INET6, v6), "::1");
  uint8_t full[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x42};
  EXPECT_EQ(formatInet(AF_INET6, full), "2001:db8::42");
  EXPECT_EQ(formatInet(99, v4), "");
  uint8_t mac[6] = {0x05, 0x04, 0x03, 0xab, 0xcd, 0xef};
  EXPECT_EQ(formatMacAddr(mac), "05:04:03:AB:CD:EF");
}

TEST(BytesFormat, DecodeBuffer) {
  ValueType t = typeOf(ValueKind::Buffer, 4 + 8);
  auto v = decodeValue(t, bufferBytes(6, "ok_key", 8));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->kind, ValueKind::Buffer);
  EXPECT_EQ(formatValue(*v), "ok_key");
  v = decodeValue(t, bufferBytes(8, "ok_key", 8));
  ASSERT_TRUE(v);
  EXPECT_EQ(formatValue(*v), "ok_key\\x00\\x00");
  EXPECT_EQ(jsonValue(t, *v), "[111,107,95,107,101,121,0,0]");
  // A length past the capacity is cut to it.
  v = decodeValue(t, bufferBytes(500, "abcdefgh", 8));
  ASSERT_TRUE(v);
  EXPECT_EQ(formatValue(*v), "abcdefgh");
  // Bytes above 0x7f are signed chars in JSON, as bpftrace writes them.
  v = decodeValue(typeOf(ValueKind::Buffer, 6), bufferBytes(2, "\xff\x80", 2));
  ASSERT_TRUE(v);
  EXPECT_EQ(jsonValue(t, *v), "[-1,-128]");
  EXPECT_FALSE(decodeValue(t, bufferBytes(1, "a", 2)));
}

TEST(BytesFormat, DecodeInetAndMac) {
  ValueType inet = typeOf(ValueKind::Inet, 24);
  auto v = decodeValue(inet, inetBytes(AF_INET, {10, 1, 2, 3}));
  ASSERT_TRUE(v);
  EXPECT_EQ(formatValue(*v), "10.1.2.3");
  EXPECT_EQ(jsonValue(inet, *v), "\"10.1.2.3\"");
  std::vector<uint8_t> six(16, 0);
  six[0] = 0xfe;
  six[1] = 0x80;
  six[15] = 7;
  v = decodeValue(inet, inetBytes(AF_INET6, six));
  ASSERT_TRUE(v);
  EXPECT_EQ(formatValue(*v), "fe80::7");
  std::vector<uint8_t> mac = {1, 2, 3, 4, 5, 0xff};
  v = decodeValue(typeOf(ValueKind::MacAddr, 6), mac);
  ASSERT_TRUE(v);
  EXPECT_EQ(formatValue(*v), "01:02:03:04:05:FF");
  // A tuple key of an address sorts and prints like any other.
  Value a = *decodeValue(inet, inetBytes(AF_INET, {1, 1, 1, 1}));
  Value b = *decodeValue(inet, inetBytes(AF_INET, {2, 1, 1, 1}));
  EXPECT_LT(compareValues(a, b), 0);
}

TEST(BytesFormat, TruncatedStringsGetTheTrailer) {
  ValueType t = typeOf(ValueKind::String, 5);
  t.truncatable = true;
  t.trunc_trailer = ".."; // str_trunc_trailer's default (codegen sets it)
  std::vector<uint8_t> full = {'/', 'b', 'i', 'n', 0};
  EXPECT_EQ(formatValue(*decodeValue(t, full)), "/bin..");
  std::vector<uint8_t> fits = {'/', 'b', 'i', 0, 0};
  EXPECT_EQ(formatValue(*decodeValue(t, fits)), "/bi");
  t.truncatable = false; // comm, literals, strings not read up to a limit
  EXPECT_EQ(formatValue(*decodeValue(t, full)), "/bin");
}

TEST(FormatSpec, ParsesEveryPart) {
  std::vector<scry::support::FormatPiece> pieces;
  std::string error;
  size_t offset = 0;
  ASSERT_TRUE(scry::support::parseFormat("a%-08.3lld%*.*s%rh%%%rx%r%hhu", pieces, error, offset));
  ASSERT_EQ(pieces.size(), 8U);
  EXPECT_EQ(pieces[0].text, "a");
  EXPECT_EQ(pieces[1].conversion, 'd');
  EXPECT_EQ(pieces[1].flags, "-0");
  EXPECT_EQ(pieces[1].width, 8);
  EXPECT_EQ(pieces[1].precision, 3);
  EXPECT_EQ(pieces[1].length, "ll");
  EXPECT_EQ(pieces[2].conversion, 's');
  EXPECT_TRUE(pieces[2].width_star && pieces[2].precision_star);
  EXPECT_EQ(pieces[2].arguments(), 3U);
  EXPECT_EQ(pieces[3].buffer_mode, 'h');
  EXPECT_EQ(pieces[4].text, "%");
  EXPECT_EQ(pieces[5].buffer_mode, 'x');
  EXPECT_EQ(pieces[6].buffer_mode, 0);
  EXPECT_EQ(pieces[7].length, "hh");
  EXPECT_EQ(pieces[7].offset, 25U);
}

TEST(FormatSpec, RejectsWhatBpftraceRejects) {
  std::vector<scry::support::FormatPiece> pieces;
  std::string error;
  size_t offset = 0;
  EXPECT_FALSE(scry::support::parseFormat("x %f", pieces, error, offset));
  EXPECT_EQ(error, "invalid format specifier '%f': floating point is not supported");
  EXPECT_EQ(offset, 2U);
  EXPECT_FALSE(scry::support::parseFormat("%n", pieces, error, offset));
  EXPECT_FALSE(scry::support::parseFormat("%5", pieces, error, offset));
  EXPECT_EQ(error, "incomplete format specifier at the end of the format string");
}
