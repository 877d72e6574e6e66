#include "events/text_decoder.h"

namespace rdpmend::events {
namespace {
constexpr std::size_t kChunkSize = 64 * 1024;
}

TextDecoder::TextDecoder(std::istream& in) : in_(in), buffer_(kChunkSize, '\0') {}

bool TextDecoder::fill() {
  if (pos_ < end_) return true;
  if (!in_) return false;
  in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
  end_ = static_cast<std::size_t>(in_.gcount());
  pos_ = 0;
  return end_ > 0;
}

bool TextDecoder::byte(std::uint8_t& out) {
  if (!fill()) return false;
  out = static_cast<std::uint8_t>(buffer_[pos_++]);
  return true;
}

void TextDecoder::detect() {
  detected_ = true;
  if (!fill()) return;
  // A file read (not a pipe) fills the first chunk, so the BOM is in it whole.
  auto at = [&](std::size_t i) -> int {
    return pos_ + i < end_ ? static_cast<std::uint8_t>(buffer_[pos_ + i]) : -1;
  };
  if (at(0) == 0xEF && at(1) == 0xBB && at(2) == 0xBF) {
    pos_ += 3;
  } else if (at(0) == 0xFF && at(1) == 0xFE) {
    pos_ += 2;
    encoding_ = Encoding::kUtf16Le;
  } else if (at(0) == 0xFE && at(1) == 0xFF) {
    pos_ += 2;
    encoding_ = Encoding::kUtf16Be;
  } else if (at(0) == '<' && at(1) == 0) {
    encoding_ = Encoding::kUtf16Le;
  } else if (at(0) == 0 && at(1) == '<') {
    encoding_ = Encoding::kUtf16Be;
  }
  encoding_name_ = encoding_ == Encoding::kUtf8      ? "UTF-8"
                   : encoding_ == Encoding::kUtf16Le ? "UTF-16LE"
                                                     : "UTF-16BE";
}

bool TextDecoder::next(char32_t& cp) {
  if (!detected_) detect();
  if (encoding_ == Encoding::kUtf8) {
    std::uint8_t b0;
    if (!byte(b0)) return false;
    if (b0 < 0x80) {
      cp = b0;
      return true;
    }
    int extra;
    char32_t value;
    if ((b0 & 0xE0) == 0xC0) {
      extra = 1;
      value = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      extra = 2;
      value = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      extra = 3;
      value = b0 & 0x07;
    } else {
      cp = kInvalidCodePoint;
      return true;
    }
    for (int i = 0; i < extra; ++i) {
      if (!fill() || (static_cast<std::uint8_t>(buffer_[pos_]) & 0xC0) != 0x80) {
        cp = kInvalidCodePoint;  // the offending byte is left for the next call
        return true;
      }
      value = (value << 6) | (static_cast<std::uint8_t>(buffer_[pos_++]) & 0x3F);
    }
    static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (value < kMin[extra] || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
      cp = kInvalidCodePoint;  // overlong, out of range or a surrogate
      return true;
    }
    cp = value;
    return true;
  }

  auto unit = [&](char32_t& u) -> bool {
    std::uint8_t a, b;
    if (!byte(a)) return false;
    if (!byte(b)) {
      u = kInvalidCodePoint;  // odd trailing byte
      return true;
    }
    u = encoding_ == Encoding::kUtf16Le ? static_cast<char32_t>(a | (b << 8))
                                        : static_cast<char32_t>((a << 8) | b);
    return true;
  };
  char32_t u1;
  if (!unit(u1)) return false;
  if (u1 == kInvalidCodePoint || u1 < 0xD800 || u1 > 0xDFFF) {
    cp = u1;
    return true;
  }
  if (u1 >= 0xDC00) {
    cp = kInvalidCodePoint;  // lone low surrogate
    return true;
  }
  char32_t u2;
  if (!unit(u2) || u2 < 0xDC00 || u2 > 0xDFFF) {
    cp = kInvalidCodePoint;
    return true;
  }
  cp = 0x10000 + ((u1 - 0xD800) << 10) + (u2 - 0xDC00);
  return true;
}

}  // namespace rdpmend::events
