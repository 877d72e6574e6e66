#pragma once
// CRC-32 (IEEE 802.3, RFC 1952: reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF),
// the checksum of .evtx file and chunk headers and of a chunk's event records. Slicing-by-8, so checking
// every chunk costs little next to decoding it.

#include <cstdint>
#include <span>

namespace rdpmend::events::evtx {

// `crc` is a previous result to continue from (0 to start).
std::uint32_t crc32(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0);

}  // namespace rdpmend::events::evtx
