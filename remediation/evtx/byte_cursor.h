#pragma once
// A bounds-checked little-endian reader over a byte span: every read says whether the bytes were there,
// so no input can make the .evtx reader look outside its buffer. Offsets are absolute within the span.

#include <cstddef>
#include <cstdint>
#include <span>

namespace rdpmend::events::evtx {

inline std::uint16_t load_u16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t load_u32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | (static_cast<std::uint32_t>(p[1]) << 8) |
         (static_cast<std::uint32_t>(p[2]) << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
inline std::uint64_t load_u64(const std::uint8_t* p) {
  return static_cast<std::uint64_t>(load_u32(p)) | (static_cast<std::uint64_t>(load_u32(p + 4)) << 32);
}

class ByteCursor {
 public:
  ByteCursor(std::span<const std::uint8_t> data, std::size_t pos, std::size_t end)
      : data_(data), pos_(pos), end_(end < data.size() ? end : data.size()) {}

  std::size_t pos() const { return pos_; }
  std::size_t end() const { return end_; }
  std::size_t remaining() const { return pos_ < end_ ? end_ - pos_ : 0; }
  bool at_end() const { return pos_ >= end_; }

  bool has(std::size_t n) const { return pos_ <= end_ && n <= end_ - pos_; }
  bool skip(std::size_t n) {
    if (!has(n)) return false;
    pos_ += n;
    return true;
  }
  // Moves to an absolute offset inside [0, end].
  bool seek(std::size_t pos) {
    if (pos > end_) return false;
    pos_ = pos;
    return true;
  }

  bool u8(std::uint8_t& out) {
    if (!has(1)) return false;
    out = data_[pos_++];
    return true;
  }
  bool u16(std::uint16_t& out) {
    if (!has(2)) return false;
    out = load_u16(data_.data() + pos_);
    pos_ += 2;
    return true;
  }
  bool u32(std::uint32_t& out) {
    if (!has(4)) return false;
    out = load_u32(data_.data() + pos_);
    pos_ += 4;
    return true;
  }
  bool u64(std::uint64_t& out) {
    if (!has(8)) return false;
    out = load_u64(data_.data() + pos_);
    pos_ += 8;
    return true;
  }
  bool bytes(std::size_t n, std::span<const std::uint8_t>& out) {
    if (!has(n)) return false;
    out = data_.subspan(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  std::span<const std::uint8_t> data_;
  std::size_t pos_;
  std::size_t end_;
};

}  // namespace rdpmend::events::evtx
