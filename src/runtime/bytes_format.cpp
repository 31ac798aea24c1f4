// Text forms of buffers, IP addresses, MAC addresses and pointers (see bytes_format.h).
#include "runtime/bytes_format.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstdio>

namespace scry::runtime {

std::string formatBuffer(std::span<const uint8_t> bytes, BufferStyle style) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    uint8_t b = bytes[i];
    switch (style) {
    case BufferStyle::Ascii:
      if (b >= 32 && b <= 126) {
        out += static_cast<char>(b);
        continue;
      }
      [[fallthrough]];
    case BufferStyle::Escaped:
      out += "\\x";
      break;
    case BufferStyle::Spaced:
      if (i)
        out += ' ';
      break;
    }
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

std::string formatInet(uint64_t af, std::span<const uint8_t, 16> addr) {
  char text[INET6_ADDRSTRLEN] = {};
  int family = af == AF_INET ? AF_INET : af == AF_INET6 ? AF_INET6 : -1;
  if (family < 0 || !inet_ntop(family, addr.data(), text, sizeof text))
    return "";
  return text;
}

std::string formatMacAddr(std::span<const uint8_t, 6> mac) {
  char text[18];
  std::snprintf(text, sizeof text, "%02X:%02X:%02X:%02X:%02X:%02X", mac[0], mac[1], mac[2],
                mac[3], mac[4], mac[5]);
  return text;
}

std::string formatPointer(uint64_t address) {
  char text[19];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(address));
  return text;
}

} // namespace scry::runtime
