#pragma once
// Turns the bytes of an exported event file into Unicode code points, one chunk at a time, so that a
// file of any size is read with bounded memory. Exports come as UTF-8 (wevtutil to a file) or as
// UTF-16 (PowerShell's `>` redirection writes UTF-16LE with a BOM); the encoding is detected from the
// BOM or from the first '<'.

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>

#include "util/encoding.h"

namespace rdpmend::events {

// Returned for a byte sequence that is not valid in the detected encoding.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

class TextDecoder {
 public:
  explicit TextDecoder(std::istream& in);

  // Next code point; false at end of input.
  bool next(char32_t& code_point);

  std::string_view encoding() const { return encoding_name_; }

 private:
  enum class Encoding { kUtf8, kUtf16Le, kUtf16Be };

  bool fill();
  bool byte(std::uint8_t& out);
  void detect();

  std::istream& in_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::size_t end_ = 0;
  bool detected_ = false;
  Encoding encoding_ = Encoding::kUtf8;
  std::string_view encoding_name_ = "UTF-8";
};

// The event readers append what they decode as UTF-8.
using util::append_utf8;

}  // namespace rdpmend::events
