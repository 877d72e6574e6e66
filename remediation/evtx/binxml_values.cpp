#include "evtx/binxml_values.h"

#include <charconv>
#include <chrono>
#include <cstring>

#include "events/event_time.h"
#include "evtx/byte_cursor.h"
#include "evtx/utf16.h"

namespace rdpmend::events::evtx {
namespace {

// Seconds between 1601-01-01 and 1970-01-01, in 100 ns ticks.
constexpr std::int64_t kFiletimeUnixOffset = 116444736000000000LL;

template <typename T>
void append_number(std::string& out, T value) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec == std::errc()) out.append(buf, static_cast<std::size_t>(end - buf));
}

void append_hex_number(std::string& out, std::uint64_t value) {
  char buf[24];
  buf[0] = '0';
  buf[1] = 'x';
  auto [end, ec] = std::to_chars(buf + 2, buf + sizeof buf, value, 16);
  if (ec == std::errc()) out.append(buf, static_cast<std::size_t>(end - buf));
}

void append_hex_digits(std::string& out, std::uint64_t value, int digits) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  char buf[16];
  for (int i = digits - 1; i >= 0; --i) {
    buf[i] = kDigits[value & 0xF];
    value >>= 4;
  }
  out.append(buf, static_cast<std::size_t>(digits));
}

void append_guid(std::string& out, const std::uint8_t* p) {
  out.push_back('{');
  append_hex_digits(out, load_u32(p), 8);
  out.push_back('-');
  append_hex_digits(out, load_u16(p + 4), 4);
  out.push_back('-');
  append_hex_digits(out, load_u16(p + 6), 4);
  out.push_back('-');
  append_hex_digits(out, (static_cast<std::uint64_t>(p[8]) << 8) | p[9], 4);
  out.push_back('-');
  for (int i = 10; i < 16; ++i) append_hex_digits(out, p[i], 2);
  out.push_back('}');
}

// A SID's length from its sub-authority count, or 0 if the bytes cannot hold one.
std::size_t sid_length(std::span<const std::uint8_t> bytes) {
  if (bytes.size() < 8) return 0;
  std::size_t length = 8 + 4 * static_cast<std::size_t>(bytes[1]);
  return length <= bytes.size() ? length : 0;
}

void append_sid(std::string& out, std::span<const std::uint8_t> bytes) {
  std::size_t length = sid_length(bytes);
  if (length == 0) {
    append_hex(out, bytes);
    return;
  }
  out += "S-";
  append_number(out, static_cast<unsigned>(bytes[0]));
  std::uint64_t authority = 0;
  for (int i = 2; i < 8; ++i) authority = (authority << 8) | bytes[i];
  out.push_back('-');
  if (authority >> 32) {
    // [MS-DTYP] 2.4.2.1: an authority of 2^32 or more is written in hex.
    out += "0x";
    append_hex_digits(out, authority, 12);
  } else {
    append_number(out, authority);
  }
  for (std::size_t i = 8; i + 4 <= length; i += 4) {
    out.push_back('-');
    append_number(out, load_u32(bytes.data() + i));
  }
}

}  // namespace

std::size_t value_fixed_size(std::uint8_t type, std::size_t available) {
  switch (type) {
    case kInt8Type:
    case kUInt8Type:
      return 1;
    case kInt16Type:
    case kUInt16Type:
      return 2;
    case kInt32Type:
    case kUInt32Type:
    case kReal32Type:
    case kBoolType:
    case kHexInt32Type:
      return 4;
    case kInt64Type:
    case kUInt64Type:
    case kReal64Type:
    case kFileTimeType:
    case kHexInt64Type:
      return 8;
    case kGuidType:
    case kSysTimeType:
      return 16;
    case kSizeTType:
      return available == 4 ? 4 : 8;  // a pointer: 4 or 8 bytes
    default:
      return 0;
  }
}

TimePoint filetime_to_time(std::uint64_t filetime) {
  // Values past 2^63 ticks (year 30828) are not valid FILETIMEs; keep them in range of the clock.
  auto ticks = static_cast<std::int64_t>(filetime & 0x7FFFFFFFFFFFFFFFULL);
  return TimePoint(Ticks(ticks - kFiletimeUnixOffset));
}

std::optional<TimePoint> systemtime_to_time(std::span<const std::uint8_t> bytes) {
  using namespace std::chrono;
  if (bytes.size() < 16) return std::nullopt;
  const std::uint8_t* p = bytes.data();
  unsigned y = load_u16(p), mo = load_u16(p + 2), d = load_u16(p + 6);
  unsigned h = load_u16(p + 8), mi = load_u16(p + 10), s = load_u16(p + 12), ms = load_u16(p + 14);
  year_month_day date{year{static_cast<int>(y)}, month{mo}, day{d}};
  if (!date.ok() || h > 23 || mi > 59 || s > 59 || ms > 999) return std::nullopt;
  return time_point_cast<Ticks>(sys_days{date}) + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

void append_hex(std::string& out, std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::size_t old = out.size();
  out.resize(old + 2 * bytes.size());
  char* dst = out.data() + old;
  for (std::uint8_t b : bytes) {
    *dst++ = kDigits[b >> 4];
    *dst++ = kDigits[b & 0xF];
  }
}

void append_value(std::string& out, std::uint8_t type, std::span<const std::uint8_t> bytes) {
  const std::uint8_t* p = bytes.data();
  std::size_t need = value_fixed_size(type, bytes.size());
  if (need > 0 && bytes.size() < need) {
    append_hex(out, bytes);
    return;
  }
  switch (type) {
    case kNullType:
      return;
    case kStringType:
      append_utf16le(out, bytes, true);
      return;
    case kAnsiStringType:
      append_windows_1252(out, bytes, true);
      return;
    case kInt8Type:
      append_number(out, static_cast<int>(static_cast<std::int8_t>(p[0])));
      return;
    case kUInt8Type:
      append_number(out, static_cast<unsigned>(p[0]));
      return;
    case kInt16Type:
      append_number(out, static_cast<int>(static_cast<std::int16_t>(load_u16(p))));
      return;
    case kUInt16Type:
      append_number(out, static_cast<unsigned>(load_u16(p)));
      return;
    case kInt32Type:
      append_number(out, static_cast<std::int32_t>(load_u32(p)));
      return;
    case kUInt32Type:
      append_number(out, load_u32(p));
      return;
    case kInt64Type:
      append_number(out, static_cast<std::int64_t>(load_u64(p)));
      return;
    case kUInt64Type:
      append_number(out, load_u64(p));
      return;
    case kReal32Type: {
      float f;
      std::uint32_t bits = load_u32(p);
      std::memcpy(&f, &bits, sizeof f);
      append_number(out, f);
      return;
    }
    case kReal64Type: {
      double d;
      std::uint64_t bits = load_u64(p);
      std::memcpy(&d, &bits, sizeof d);
      append_number(out, d);
      return;
    }
    case kBoolType:
      out += load_u32(p) != 0 ? "true" : "false";
      return;
    case kGuidType:
      append_guid(out, p);
      return;
    case kSizeTType:
      append_hex_number(out, need == 4 ? load_u32(p) : load_u64(p));
      return;
    case kFileTimeType:
      out += format_event_time(filetime_to_time(load_u64(p)));
      return;
    case kSysTimeType:
      if (auto t = systemtime_to_time(bytes))
        out += format_event_time(*t);
      else
        append_hex(out, bytes);
      return;
    case kSidType:
      append_sid(out, bytes);
      return;
    case kHexInt32Type:
      append_hex_number(out, load_u32(p));
      return;
    case kHexInt64Type:
      append_hex_number(out, load_u64(p));
      return;
    default:  // binary, handles, nested XML outside content, unknown types
      append_hex(out, bytes);
      return;
  }
}

void split_array(std::uint8_t type, std::span<const std::uint8_t> bytes,
                 std::vector<std::span<const std::uint8_t>>& items) {
  items.clear();
  std::uint8_t base = type & 0x7F;
  if (base == kStringType) {
    std::size_t start = 0;
    for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
      if (bytes[i] == 0 && bytes[i + 1] == 0) {
        items.push_back(bytes.subspan(start, i - start));
        start = i + 2;
      }
    }
    if (start + 1 < bytes.size())
      items.push_back(bytes.subspan(start, (bytes.size() - start) & ~std::size_t{1}));
    return;
  }
  if (base == kAnsiStringType) {
    std::size_t start = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (bytes[i] == 0) {
        items.push_back(bytes.subspan(start, i - start));
        start = i + 1;
      }
    }
    if (start < bytes.size()) items.push_back(bytes.subspan(start));
    return;
  }
  if (base == kSidType) {
    std::size_t pos = 0;
    while (pos < bytes.size()) {
      std::size_t length = sid_length(bytes.subspan(pos));
      if (length == 0) {
        items.push_back(bytes.subspan(pos));  // a broken tail is kept (rendered as hex)
        return;
      }
      items.push_back(bytes.subspan(pos, length));
      pos += length;
    }
    return;
  }
  std::size_t size = base == kSizeTType ? (bytes.size() % 8 == 0 ? 8 : 4) : value_fixed_size(base, 0);
  if (size == 0) {
    items.push_back(bytes);
    return;
  }
  std::size_t pos = 0;
  for (; pos + size <= bytes.size(); pos += size) items.push_back(bytes.subspan(pos, size));
  if (pos < bytes.size()) items.push_back(bytes.subspan(pos));
}

}  // namespace rdpmend::events::evtx
