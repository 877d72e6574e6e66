#pragma once
// BinXML value types and their text, the way EvtRender (wevtutil, Event Viewer) renders them: integers in
// decimal, HexInt32/HexInt64/SizeT as 0x + lower-case hex without padding, GUIDs upper-case in braces,
// binary as upper-case hex, FILETIME/SYSTEMTIME as ISO 8601 UTC with 7 fractional digits, SIDs as
// S-1-5-..., booleans as true/false. Array types (0x80 flag) are split into items; an element holding an
// array is repeated once per item by the caller.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "events/event.h"

namespace rdpmend::events::evtx {

enum ValueType : std::uint8_t {
  kNullType = 0x00,
  kStringType = 0x01,
  kAnsiStringType = 0x02,
  kInt8Type = 0x03,
  kUInt8Type = 0x04,
  kInt16Type = 0x05,
  kUInt16Type = 0x06,
  kInt32Type = 0x07,
  kUInt32Type = 0x08,
  kInt64Type = 0x09,
  kUInt64Type = 0x0A,
  kReal32Type = 0x0B,
  kReal64Type = 0x0C,
  kBoolType = 0x0D,
  kBinaryType = 0x0E,
  kGuidType = 0x0F,
  kSizeTType = 0x10,
  kFileTimeType = 0x11,
  kSysTimeType = 0x12,
  kSidType = 0x13,
  kHexInt32Type = 0x14,
  kHexInt64Type = 0x15,
  kEvtHandleType = 0x20,
  kBinXmlType = 0x21,
  kEvtXmlType = 0x23,
  kArrayFlag = 0x80,
};

inline bool is_array_type(std::uint8_t type) {
  return (type & kArrayFlag) != 0;
}

// Appends the text of one scalar value. Bytes that do not fit the type (a 2-byte UInt32) are rendered as
// upper-case hex rather than dropped.
void append_value(std::string& out, std::uint8_t type, std::span<const std::uint8_t> bytes);

// Splits an array value (type with the 0x80 flag) into its items, each rendered with the scalar type
// (type & 0x7F) by append_value. String arrays are NUL-separated; fixed-size types are cut by size; SIDs by
// their own length. Types that have no array form give one item: the whole value.
void split_array(std::uint8_t type, std::span<const std::uint8_t> bytes,
                 std::vector<std::span<const std::uint8_t>>& items);

// FILETIME (100 ns ticks since 1601-01-01 UTC) as a time point.
TimePoint filetime_to_time(std::uint64_t filetime);

// SYSTEMTIME (year, month, day of week, day, hour, minute, second, milliseconds) as a time point, if the
// fields make a valid date.
std::optional<TimePoint> systemtime_to_time(std::span<const std::uint8_t> bytes);

// The size of a fixed-size scalar type (4 or 8 for SizeT, by `available`), 0 for variable-size types.
std::size_t value_fixed_size(std::uint8_t type, std::size_t available);

// Upper-case hex of the bytes.
void append_hex(std::string& out, std::span<const std::uint8_t> bytes);

}  // namespace rdpmend::events::evtx
