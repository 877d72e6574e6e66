#pragma once
// BinXML, the binary XML of .evtx records ([MS-EVEN6] 3.1.4.7; libyal's "Windows XML Event Log (EVTX)"
// notes): tokens, element and attribute names stored once per chunk and referenced by offset, templates
// (defined inline at first use, referenced by offset afterwards) instantiated with typed substitution
// values, and nested BinXML values (type 0x21).
//
// ChunkDecoder holds one chunk's caches: names by offset, and each template definition compiled once
// into a flat list of operations, then replayed for every record that uses it. It never reads outside the
// chunk: every offset is checked, nesting is capped, and a per-record work budget stops a record whose
// templates would expand without bound. Decoding reports structure to a BinXmlSink; it does not build XML.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace rdpmend::events::evtx {

// Names the event model cares about, recognised once when a name is first decoded.
enum class NameId : std::uint8_t {
  kOther,
  // elements
  kEvent,
  kSystem,
  kProvider,
  kEventID,
  kVersion,
  kLevel,
  kTask,
  kOpcode,
  kKeywords,
  kTimeCreated,
  kEventRecordID,
  kCorrelation,
  kExecution,
  kChannel,
  kComputer,
  kSecurity,
  kEventData,
  kUserData,
  kData,
  kBinary,
  kRenderingInfo,
  kMessage,
  // attributes
  kName,
  kGuid,
  kEventSourceName,
  kQualifiers,
  kSystemTime,
  kActivityID,
  kProcessID,
  kThreadID,
  kUserID,
  kXmlns,
};

struct Name {
  std::string text;  // the local name (any "prefix:" removed), UTF-8
  NameId id = NameId::kOther;
};

// A typed value: chunk bytes and the BinXML value type.
struct Value {
  std::uint8_t type = 0;
  std::span<const std::uint8_t> bytes;
};

// Receives the document structure. Text arrives decoded to UTF-8; substitution values arrive typed (the
// sink renders them), with type 0 (NULL) for an empty substitution. Nested BinXML values are expanded by the
// decoder into further elements.
class BinXmlSink {
 public:
  virtual ~BinXmlSink() = default;
  virtual void start_element(const Name& name) = 0;
  virtual void attribute(const Name& name) = 0;
  virtual void close_start_tag() = 0;  // end of the attribute list
  virtual void end_element() = 0;
  virtual void text(std::string_view utf8) = 0;  // value text, character and entity references
  virtual void cdata(std::string_view utf8) = 0;
  virtual void substitution(const Value& value, bool optional) = 0;
};

struct DecodeError {
  std::size_t offset = 0;  // chunk offset of the offending token or structure
  std::string message;
};

struct DecodeLimits {
  int max_nesting = 32;                 // templates and nested BinXML values inside each other
  std::size_t max_work = 1u << 18;      // tokens compiled and replayed for one record
  std::size_t max_element_depth = 256;  // open elements inside each other within one fragment
};

class ChunkDecoder {
 public:
  explicit ChunkDecoder(DecodeLimits limits = {});
  ~ChunkDecoder();
  ChunkDecoder(const ChunkDecoder&) = delete;
  ChunkDecoder& operator=(const ChunkDecoder&) = delete;

  // Starts a chunk: forgets the names and templates of the previous one.
  void reset(std::span<const std::uint8_t> chunk);

  // Decodes one record's BinXML, chunk bytes [begin, end), into `sink`. False with `error` set when the
  // bytes are not valid BinXML; the sink may then have received part of the record.
  bool decode(std::size_t begin, std::size_t end, BinXmlSink& sink, DecodeError& error);

  std::size_t names_cached() const { return names_.size(); }
  std::size_t templates_cached() const { return templates_.size(); }

  struct Compiled;
  struct Template;

 private:
  bool compile(std::size_t begin, std::size_t end, bool has_dependency_id, int nesting, Compiled& out);
  bool run(const Compiled& unit, std::span<const Value> values, int nesting, BinXmlSink& sink);
  const Name* name_at(std::uint32_t offset, std::size_t token_offset);
  const Template* template_at(std::uint32_t offset, std::size_t token_offset, int nesting);
  Compiled& scratch(int nesting);
  bool fail(std::size_t offset, std::string message);
  bool spend(std::size_t offset) { return ++work_ <= limits_.max_work || out_of_budget(offset); }
  bool out_of_budget(std::size_t offset);

  DecodeLimits limits_;
  std::span<const std::uint8_t> chunk_;
  std::unordered_map<std::uint32_t, Name> names_;
  std::unordered_map<std::uint32_t, std::unique_ptr<Template>> templates_;
  std::vector<std::unique_ptr<Compiled>> scratch_;
  std::size_t work_ = 0;
  DecodeError error_;
  bool failed_ = false;
  bool budget_exhausted_ = false;
};

}  // namespace rdpmend::events::evtx
