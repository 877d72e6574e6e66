#pragma once
// Builds .evtx bytes by hand for the reader's tests: BinXML tokens written straight into a 64 KiB chunk so
// that every name and template offset is the one a reader must follow, records with their size fields,
// chunk and file headers with correct (or deliberately wrong) CRC-32s. Names and templates are defined
// inline at first use and referenced by offset afterwards, as Windows writes them.

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "evtx/crc32.h"
#include "evtx/evtx_file.h"

namespace rdpmend::events::evtx_test {

inline constexpr std::string_view kEventNs = "http://schemas.microsoft.com/win/2004/08/events/event";

using Bytes = std::vector<std::uint8_t>;

inline void put16(Bytes& b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v);
  b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
inline void put32(Bytes& b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
inline void put64(Bytes& b, std::size_t at, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}

inline Bytes utf16(std::u16string_view s, bool nul = false) {
  Bytes out;
  for (char16_t c : s) {
    out.push_back(static_cast<std::uint8_t>(c));
    out.push_back(static_cast<std::uint8_t>(c >> 8));
  }
  if (nul) out.insert(out.end(), {0, 0});
  return out;
}
inline std::u16string wide(std::string_view ascii) {
  return std::u16string(ascii.begin(), ascii.end());
}

// A substitution value of a template instance.
struct Val {
  std::uint8_t type = 0;
  Bytes bytes;
};
inline Val null_value() {
  return {0x00, {}};
}
inline Val string_value(std::string_view ascii) {
  return {0x01, utf16(wide(ascii))};
}
inline Val le_value(std::uint8_t type, std::uint64_t v, int size) {
  Val out{type, Bytes(static_cast<std::size_t>(size))};
  for (int i = 0; i < size; ++i) out.bytes[i] = static_cast<std::uint8_t>(v >> (8 * i));
  return out;
}

// 100 ns ticks since 1601 of 2024-05-01T12:00:00Z.
inline constexpr std::uint64_t kMay2024 = 133590384000000000ULL;

class ChunkWriter {
 public:
  static constexpr std::size_t kSize = 65536;

  ChunkWriter() : b_(512, 0) {}

  std::size_t pos() const { return b_.size(); }
  Bytes& bytes() { return b_; }
  std::uint32_t template_offset(std::uint32_t id) const { return templates_.at(id); }
  std::uint32_t name_offset(const std::string& text) const { return names_.at(text); }

  void u8(std::uint8_t v) { b_.push_back(v); }
  void u16(std::uint16_t v) { raw({static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8)}); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) u8(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void raw(const Bytes& bytes) { b_.insert(b_.end(), bytes.begin(), bytes.end()); }

  // A name offset: the offset of an earlier definition, or a definition written right here.
  void name(std::string_view text) {
    if (auto it = names_.find(std::string(text)); it != names_.end()) {
      u32(it->second);
      return;
    }
    auto offset = static_cast<std::uint32_t>(pos() + 4);
    u32(offset);
    names_[std::string(text)] = offset;
    std::uint32_t hash = 0;
    for (char c : text) hash = hash * 65599u + static_cast<unsigned char>(c);
    u32(0);  // next name in the chunk's hash chain
    u16(static_cast<std::uint16_t>(hash));
    u16(static_cast<std::uint16_t>(text.size()));
    raw(utf16(wide(text), true));
  }

  void fragment_header() { raw({0x0F, 0x01, 0x01, 0x00}); }
  void eof() { u8(0x00); }
  void open(std::string_view element, bool attributes = false, bool dependency_id = true) {
    u8(attributes ? 0x41 : 0x01);
    if (dependency_id) u16(0xFFFF);
    open_sizes_.push_back(pos());
    u32(0);  // data size, patched at the end of the element
    name(element);
    if (attributes) {
      attr_list_ = pos();
      u32(0);  // attribute list size, patched by close_start / close_empty
    }
  }
  void attr(std::string_view attribute, bool more = true) {
    u8(more ? 0x46 : 0x06);
    name(attribute);
  }
  void close_start() {
    patch_attr_list();
    u8(0x02);
  }
  void close_empty() {
    patch_attr_list();
    u8(0x03);
    patch_open();
  }
  void end() {
    u8(0x04);
    patch_open();
  }
  void text(std::u16string_view s) {
    u8(0x05);
    u8(0x01);
    u16(static_cast<std::uint16_t>(s.size()));
    raw(utf16(s));
  }
  void cdata(std::u16string_view s) {
    u8(0x07);
    u16(static_cast<std::uint16_t>(s.size()));
    raw(utf16(s));
  }
  void char_ref(std::uint16_t c) {
    u8(0x08);
    u16(c);
  }
  void entity_ref(std::string_view entity) {
    u8(0x09);
    name(entity);
  }
  void pi(std::string_view target, std::u16string_view data) {
    u8(0x0A);
    name(target);
    u8(0x0B);
    u16(static_cast<std::uint16_t>(data.size()));
    raw(utf16(data));
  }
  void subst(std::uint16_t index, std::uint8_t type, bool optional = false) {
    u8(optional ? 0x0E : 0x0D);
    u16(index);
    u8(type);
  }
  // <Element>text</Element>
  void leaf(std::string_view element, std::u16string_view s) {
    open(element);
    close_start();
    text(s);
    end();
  }
  // <Element>%index</Element>
  void leaf_subst(std::string_view element, std::uint16_t index, std::uint8_t type, bool optional = false) {
    open(element);
    close_start();
    subst(index, type, optional);
    end();
  }

  // A template instance. The definition (fragment header, `body`, end of fragment) is written here the first
  // time `id` is used in the chunk and referenced by offset afterwards.
  void template_instance(std::uint32_t id, const std::function<void()>& body,
                         const std::vector<Val>& values) {
    u8(0x0C);
    u8(0x01);
    u32(id);
    if (auto it = templates_.find(id); it != templates_.end()) {
      u32(it->second);
    } else {
      auto offset = static_cast<std::uint32_t>(pos() + 4);
      templates_[id] = offset;
      u32(offset);
      u32(0);   // next template definition
      u32(id);  // GUID: its first 4 bytes are the id the instances use
      raw(Bytes(12, 0xAB));
      std::size_t size_at = pos();
      u32(0);
      fragment_header();
      body();
      eof();
      put32(b_, size_at, static_cast<std::uint32_t>(pos() - size_at - 4));
    }
    u32(static_cast<std::uint32_t>(values.size()));
    for (const auto& v : values) {
      u16(static_cast<std::uint16_t>(v.bytes.size()));
      u8(v.type);
      u8(0);
    }
    for (const auto& v : values) raw(v.bytes);
  }

  // A record: header, `binxml` (which writes the record's BinXML), size again.
  std::size_t record(std::uint64_t id, const std::function<void()>& binxml,
                     std::uint64_t written = kMay2024) {
    std::size_t start = pos();
    u32(0x00002A2A);
    u32(0);
    u64(id);
    u64(written);
    binxml();
    while ((pos() + 4) % 8) u8(0);  // records are 8-byte aligned
    u32(0);
    auto size = static_cast<std::uint32_t>(pos() - start);
    put32(b_, start + 4, size);
    put32(b_, pos() - 4, size);
    if (first_id_ == 0) first_id_ = id;
    last_id_ = id;
    last_record_ = start;
    ++records_;
    return start;
  }

  // The finished 64 KiB chunk with its header and checksums; `padded` puts the free space offset at the
  // end of the chunk, as archived logs do.
  Bytes finish(bool padded = false) const {
    Bytes c = b_;
    std::size_t free_space = padded ? kSize : c.size();
    c.resize(kSize, 0);
    std::memcpy(c.data(), "ElfChnk", 8);
    put64(c, 8, 1);
    put64(c, 16, records_);
    put64(c, 24, first_id_);
    put64(c, 32, last_id_);
    put32(c, 40, 128);
    put32(c, 44, static_cast<std::uint32_t>(last_record_));
    put32(c, 48, static_cast<std::uint32_t>(free_space));
    put32(c, 52, events::evtx::crc32(std::span<const std::uint8_t>(c.data() + 512, free_space - 512)));
    put32(c, 120, 1);
    std::uint32_t crc = events::evtx::crc32(std::span<const std::uint8_t>(c.data(), 120));
    crc = events::evtx::crc32(std::span<const std::uint8_t>(c.data() + 128, 384), crc);
    put32(c, 124, crc);
    return c;
  }

 private:
  void patch_open() {
    std::size_t at = open_sizes_.back();
    open_sizes_.pop_back();
    put32(b_, at, static_cast<std::uint32_t>(pos() - at - 4));
  }
  void patch_attr_list() {
    if (attr_list_) put32(b_, attr_list_, static_cast<std::uint32_t>(pos() - attr_list_ - 4));
    attr_list_ = 0;
  }

  Bytes b_;
  std::map<std::string, std::uint32_t> names_;
  std::map<std::uint32_t, std::uint32_t> templates_;
  std::vector<std::size_t> open_sizes_;
  std::size_t attr_list_ = 0;
  std::uint64_t first_id_ = 0, last_id_ = 0, records_ = 0;
  std::size_t last_record_ = 0;
};

// A nested BinXML value (type 0x21): a fragment holding an instance of the template defined at `definition`.
inline Val nested_instance(std::uint32_t id, std::uint32_t definition, const std::vector<Val>& values) {
  Bytes b = {0x0F, 0x01, 0x01, 0x00, 0x0C, 0x01};
  auto le32 = [&](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  };
  le32(id);
  le32(definition);
  le32(static_cast<std::uint32_t>(values.size()));
  for (const auto& v : values) {
    b.push_back(static_cast<std::uint8_t>(v.bytes.size()));
    b.push_back(static_cast<std::uint8_t>(v.bytes.size() >> 8));
    b.push_back(v.type);
    b.push_back(0);
  }
  for (const auto& v : values) b.insert(b.end(), v.bytes.begin(), v.bytes.end());
  b.push_back(0x00);
  return {0x21, b};
}

// The file: a 4 KiB header (chunk count as given, flags, CRC-32) and the chunks.
inline Bytes evtx_file(const std::vector<Bytes>& chunks, std::uint16_t header_chunks,
                       std::uint32_t flags = 0) {
  Bytes f(4096, 0);
  std::memcpy(f.data(), "ElfFile", 8);
  put64(f, 16, header_chunks ? header_chunks - 1 : 0);
  put64(f, 24, 1000);
  put32(f, 32, 128);
  put16(f, 36, 1);
  put16(f, 38, 3);
  put16(f, 40, 4096);
  put16(f, 42, header_chunks);
  put32(f, 120, flags);
  put32(f, 124, events::evtx::crc32(std::span<const std::uint8_t>(f.data(), 120)));
  for (const auto& c : chunks) f.insert(f.end(), c.begin(), c.end());
  return f;
}

// The System part every test event shares: Provider Name=%0, EventID=%1 (UInt16), TimeCreated=%2
// (FILETIME), EventRecordID=%3 (UInt64), Channel=%4, Computer=%5.
inline void system_part(ChunkWriter& w) {
  w.open("System");
  w.close_start();
  w.open("Provider", true);
  w.attr("Name", false);
  w.subst(0, 0x01);
  w.close_empty();
  w.leaf_subst("EventID", 1, 0x06);
  w.open("TimeCreated", true);
  w.attr("SystemTime", false);
  w.subst(2, 0x11);
  w.close_empty();
  w.leaf_subst("EventRecordID", 3, 0x0A);
  w.leaf_subst("Channel", 4, 0x01);
  w.leaf_subst("Computer", 5, 0x01);
  w.end();
}

inline std::vector<Val> system_values(std::uint64_t record_id, std::uint16_t event_id = 4625,
                                      std::uint64_t time = kMay2024) {
  return {string_value("Microsoft-Windows-Security-Auditing"),
          le_value(0x06, event_id, 2),
          le_value(0x11, time, 8),
          le_value(0x0A, record_id, 8),
          string_value("Security"),
          string_value("host.example")};
}

// <Event xmlns=...><System>...</System>`rest`</Event>, as one template with the values given.
inline void event_record(ChunkWriter& w, std::uint64_t record_id, std::uint32_t template_id,
                         const std::function<void()>& rest, std::vector<Val> values) {
  w.record(record_id, [&] {
    w.fragment_header();
    w.template_instance(
        template_id,
        [&] {
          w.open("Event", true);
          w.attr("xmlns", false);
          w.text(wide(kEventNs));
          w.close_start();
          system_part(w);
          rest();
          w.end();
        },
        values);
    w.eof();
  });
}

// Everything read_evtx reports for some bytes.
struct ReadResult {
  std::vector<Event> events;
  std::vector<ReadError> errors;
  ReadStats stats;
  EvtxCounters counters;

  bool error_contains(std::string_view text) const {
    for (const auto& e : errors)
      if (e.message.find(text) != std::string::npos) return true;
    return false;
  }
  std::string all_errors() const {
    std::string out;
    for (const auto& e : errors) out += e.message + "\n";
    return out;
  }
};

inline ReadResult read_bytes(const Bytes& file, EvtxReadOptions options = {}) {
  ReadResult r;
  options.counters = &r.counters;
  r.stats = read_evtx(
      file, "test.evtx", [&](Event&& e) { r.events.push_back(std::move(e)); },
      [&](ReadError&& e) { r.errors.push_back(std::move(e)); }, options);
  return r;
}

// A file of one chunk filled by `fill`.
inline Bytes one_chunk_file(const std::function<void(ChunkWriter&)>& fill) {
  ChunkWriter w;
  fill(w);
  return evtx_file({w.finish()}, 1);
}

}  // namespace rdpmend::events::evtx_test
