// Text forms of the byte values the string and network functions produce: buf()
// buffers, ntop() addresses and macaddr() hardware addresses; and of pointers. As
// bpftrace 0.26 prints them. Pure.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace scry::runtime {

// How a buffer is printed: %r and default (printable ASCII 32..126 as is, other bytes
// as \xNN), %rx (every byte \xNN), %rh (every byte as two hex digits, space-separated:
// "0a fe"). Hex digits are lower case.
enum class BufferStyle { Ascii, Escaped, Spaced };
std::string formatBuffer(std::span<const uint8_t> bytes, BufferStyle style = BufferStyle::Ascii);

// inet_ntop's text for address family `af` (AF_INET: the first 4 bytes, AF_INET6: all
// 16); "" for any other family, as bpftrace prints it.
std::string formatInet(uint64_t af, std::span<const uint8_t, 16> addr);

// "AA:BB:CC:DD:EE:FF": upper-case hex, as bpftrace prints macaddr().
std::string formatMacAddr(std::span<const uint8_t, 6> mac);

// A pointer as bpftrace prints it outside printf: "0x" and lower-case hex without
// padding, "0x0" for null (printf's %p prints null as "0").
std::string formatPointer(uint64_t address);

} // namespace scry::runtime
