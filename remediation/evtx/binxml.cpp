#include "evtx/binxml.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "evtx/binxml_values.h"
#include "evtx/byte_cursor.h"
#include "evtx/utf16.h"

namespace rdpmend::events::evtx {
namespace {

// BinXML tokens; 0x40 on some of them means "has attributes" or "more data follows".
enum Token : std::uint8_t {
  kEndOfFragment = 0x00,
  kOpenStartElement = 0x01,
  kCloseStartElement = 0x02,
  kCloseEmptyElement = 0x03,
  kEndElement = 0x04,
  kValueText = 0x05,
  kAttribute = 0x06,
  kCDataSection = 0x07,
  kCharRef = 0x08,
  kEntityRef = 0x09,
  kPiTarget = 0x0A,
  kPiData = 0x0B,
  kTemplateInstance = 0x0C,
  kNormalSubstitution = 0x0D,
  kOptionalSubstitution = 0x0E,
  kFragmentHeader = 0x0F,
};
constexpr std::uint8_t kMoreFlag = 0x40;

// A template definition: next-definition offset, GUID, data size, then the fragment.
constexpr std::size_t kTemplateHeaderSize = 24;

std::string hex(std::uint64_t value) {
  char buf[24] = {'0', 'x'};
  auto [end, ec] = std::to_chars(buf + 2, buf + sizeof buf, value, 16);
  return std::string(buf, ec == std::errc() ? end : buf + 2);
}

std::string_view local_name(std::string_view name) {
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

NameId classify(std::string_view name) {
  struct Entry {
    std::string_view text;
    NameId id;
  };
  static constexpr std::array<Entry, 32> kNames = {{
      {"Event", NameId::kEvent},
      {"System", NameId::kSystem},
      {"Provider", NameId::kProvider},
      {"EventID", NameId::kEventID},
      {"Version", NameId::kVersion},
      {"Level", NameId::kLevel},
      {"Task", NameId::kTask},
      {"Opcode", NameId::kOpcode},
      {"Keywords", NameId::kKeywords},
      {"TimeCreated", NameId::kTimeCreated},
      {"EventRecordID", NameId::kEventRecordID},
      {"Correlation", NameId::kCorrelation},
      {"Execution", NameId::kExecution},
      {"Channel", NameId::kChannel},
      {"Computer", NameId::kComputer},
      {"Security", NameId::kSecurity},
      {"EventData", NameId::kEventData},
      {"UserData", NameId::kUserData},
      {"Data", NameId::kData},
      {"Binary", NameId::kBinary},
      {"RenderingInfo", NameId::kRenderingInfo},
      {"Message", NameId::kMessage},
      {"Name", NameId::kName},
      {"Guid", NameId::kGuid},
      {"EventSourceName", NameId::kEventSourceName},
      {"Qualifiers", NameId::kQualifiers},
      {"SystemTime", NameId::kSystemTime},
      {"ActivityID", NameId::kActivityID},
      {"ProcessID", NameId::kProcessID},
      {"ThreadID", NameId::kThreadID},
      {"UserID", NameId::kUserID},
      {"xmlns", NameId::kXmlns},
  }};
  for (const auto& e : kNames)
    if (e.text == name) return e.id;
  return NameId::kOther;
}

std::string_view entity_text(std::string_view name) {
  if (name == "amp") return "&";
  if (name == "lt") return "<";
  if (name == "gt") return ">";
  if (name == "quot") return "\"";
  if (name == "apos") return "'";
  return {};
}

struct Op {
  enum Kind : std::uint8_t {
    kOpen,
    kAttr,
    kCloseStart,
    kCloseEmpty,
    kEnd,
    kText,
    kCData,
    kSubst,
    kValue,
    kTemplate
  };
  Kind kind = kOpen;
  bool optional = false;
  std::uint8_t type = 0;       // kValue: the value type
  std::uint16_t index = 0;     // kSubst: the substitution's index in the template instance
  std::uint32_t begin = 0;     // kText/kCData: pool offset; kValue: chunk offset; kTemplate: instance index
  std::uint32_t length = 0;    // kText/kCData/kValue: byte length
  std::uint32_t offset = 0;    // chunk offset of the token, for errors
  const Name* name = nullptr;  // kOpen/kAttr
};

}  // namespace

struct ChunkDecoder::Compiled {
  struct Instance {
    const Template* definition = nullptr;
    std::uint32_t first_value = 0;
    std::uint32_t value_count = 0;
  };
  std::vector<Op> ops;
  std::string pool;  // decoded literal text
  std::vector<Instance> instances;
  std::vector<Value> values;  // the template instances' substitution values

  void clear() {
    ops.clear();
    pool.clear();
    instances.clear();
    values.clear();
  }
};

struct ChunkDecoder::Template {
  enum class State { kCompiling, kReady, kBad };
  State state = State::kCompiling;
  Compiled body;
  DecodeError error;
};

ChunkDecoder::ChunkDecoder(DecodeLimits limits) : limits_(limits) {}
ChunkDecoder::~ChunkDecoder() = default;

void ChunkDecoder::reset(std::span<const std::uint8_t> chunk) {
  chunk_ = chunk;
  names_.clear();
  templates_.clear();
}

bool ChunkDecoder::fail(std::size_t offset, std::string message) {
  if (!failed_) {
    failed_ = true;
    error_ = {offset, std::move(message)};
  }
  return false;
}

bool ChunkDecoder::out_of_budget(std::size_t offset) {
  budget_exhausted_ = true;
  return fail(offset, "the record needs more than " + std::to_string(limits_.max_work) +
                          " decoding steps (templates expanding without bound)");
}

ChunkDecoder::Compiled& ChunkDecoder::scratch(int nesting) {
  auto index = static_cast<std::size_t>(nesting);
  while (scratch_.size() <= index) scratch_.push_back(std::make_unique<Compiled>());
  return *scratch_[index];
}

bool ChunkDecoder::decode(std::size_t begin, std::size_t end, BinXmlSink& sink, DecodeError& error) {
  work_ = 0;
  failed_ = false;
  budget_exhausted_ = false;
  Compiled& unit = scratch(0);
  bool ok = compile(begin, end, true, 0, unit) && run(unit, {}, 0, sink);
  if (!ok) error = error_;
  return ok;
}

const Name* ChunkDecoder::name_at(std::uint32_t offset, std::size_t token_offset) {
  if (auto it = names_.find(offset); it != names_.end()) return &it->second;
  // Name: 4 bytes (next name in the hash chain), 2 bytes hash, 2 bytes character count, UTF-16LE, NUL.
  if (offset > chunk_.size() || chunk_.size() - offset < 8) {
    fail(token_offset, "name at chunk offset " + hex(offset) + " lies outside the chunk");
    return nullptr;
  }
  std::size_t count = load_u16(chunk_.data() + offset + 6);
  if (chunk_.size() - offset - 8 < 2 * count) {
    fail(token_offset, "name at chunk offset " + hex(offset) + " runs past the end of the chunk");
    return nullptr;
  }
  // The stored hash (the low 16 bits of h = h * 65599 + code unit) tells a name from bytes that a later
  // record overwrote: records found by scanning past a bad one may point at such stale offsets.
  std::uint32_t hash = 0;
  for (std::size_t i = 0; i < count; ++i) hash = hash * 65599u + load_u16(chunk_.data() + offset + 8 + 2 * i);
  if ((hash & 0xFFFF) != load_u16(chunk_.data() + offset + 4)) {
    fail(token_offset, "name at chunk offset " + hex(offset) + " does not match its hash (overwritten?)");
    return nullptr;
  }
  std::string text;
  append_utf16le(text, chunk_.subspan(offset + 8, 2 * count), false);
  Name name;
  name.text = std::string(local_name(text));
  name.id = classify(name.text);
  return &names_.emplace(offset, std::move(name)).first->second;
}

const ChunkDecoder::Template* ChunkDecoder::template_at(std::uint32_t offset, std::size_t token_offset,
                                                        int nesting) {
  if (auto it = templates_.find(offset); it != templates_.end()) {
    const Template& t = *it->second;
    if (t.state == Template::State::kReady) return &t;
    if (t.state == Template::State::kCompiling)
      fail(token_offset, "template at chunk offset " + hex(offset) + " contains an instance of itself");
    else
      fail(t.error.offset, "template at chunk offset " + hex(offset) + ": " + t.error.message);
    return nullptr;
  }
  if (nesting >= limits_.max_nesting) {
    fail(token_offset, "templates nested more than " + std::to_string(limits_.max_nesting) + " deep");
    return nullptr;
  }
  if (offset > chunk_.size() || chunk_.size() - offset < kTemplateHeaderSize) {
    fail(token_offset, "template definition at chunk offset " + hex(offset) + " lies outside the chunk");
    return nullptr;
  }
  std::size_t data_size = load_u32(chunk_.data() + offset + 20);
  std::size_t begin = offset + kTemplateHeaderSize;
  std::size_t end = begin + std::min(data_size, chunk_.size() - begin);
  auto owned = std::make_unique<Template>();
  Template* t = owned.get();
  templates_.emplace(offset, std::move(owned));
  if (compile(begin, end, true, nesting + 1, t->body)) {
    t->state = Template::State::kReady;
    return t;
  }
  if (budget_exhausted_) {
    templates_.erase(offset);  // not the template's fault: the record ran out of budget
  } else {
    t->state = Template::State::kBad;
    t->error = error_;
  }
  return nullptr;
}

bool ChunkDecoder::compile(std::size_t begin, std::size_t end, bool has_dependency_id, int nesting,
                           Compiled& out) {
  out.clear();
  ByteCursor c(chunk_, begin, end);
  std::size_t depth = 0;
  auto truncated = [&](std::size_t token, const char* what) {
    return fail(token, std::string(what) + " runs past the end of its data");
  };
  // A name offset either points right behind itself (the name is defined here, inline) or back to a name
  // defined earlier in the chunk. Returns the name and steps over an inline definition.
  auto read_name = [&](std::size_t token, std::uint32_t name_offset, const Name*& name) {
    name = name_at(name_offset, token);
    if (!name) return false;
    if (name_offset == c.pos()) {
      std::size_t count = load_u16(chunk_.data() + name_offset + 6);
      if (!c.skip(8 + 2 * count + 2)) return truncated(token, "inline name");
    } else if (name_offset >= token) {
      return fail(token, "name offset " + hex(name_offset) + " is neither inline nor earlier in the chunk");
    }
    return true;
  };
  auto push = [&](Op::Kind kind, std::size_t token) -> Op& {
    Op& op = out.ops.emplace_back();
    op.kind = kind;
    op.offset = static_cast<std::uint32_t>(token);
    return op;
  };
  auto push_text = [&](Op::Kind kind, std::size_t token, std::size_t pool_begin) {
    Op& op = push(kind, token);
    op.begin = static_cast<std::uint32_t>(pool_begin);
    op.length = static_cast<std::uint32_t>(out.pool.size() - pool_begin);
  };

  while (!c.at_end()) {
    const std::size_t token = c.pos();
    if (!spend(token)) return false;
    std::uint8_t raw = 0;
    c.u8(raw);
    const std::uint8_t base = raw & static_cast<std::uint8_t>(~kMoreFlag);
    switch (base) {
      case kEndOfFragment:
        if (depth != 0) return fail(token, "fragment ends inside an open element");
        return true;

      case kOpenStartElement: {
        // [dependency id u16] data size u32, name offset u32: the dependency id is present in records and
        // template definitions but not in nested BinXML values; a name offset that makes no sense in the
        // expected layout is tried in the other one.
        auto probe = [&](bool dependency, std::uint32_t& name_offset, std::size_t& after) {
          std::size_t field = token + 1 + (dependency ? 2 : 0) + 4;
          if (field > c.end() || c.end() - field < 4) return false;
          name_offset = load_u32(chunk_.data() + field);
          after = field + 4;
          return name_offset == after || name_offset < token;
        };
        std::uint32_t name_offset = 0;
        std::size_t after = 0;
        if (!probe(has_dependency_id, name_offset, after) && !probe(!has_dependency_id, name_offset, after))
          return fail(token,
                      "element start has no valid name offset (neither inline nor earlier in the chunk)");
        c.seek(after);
        Op& op = push(Op::kOpen, token);
        if (!read_name(token, name_offset, op.name)) return false;
        std::uint32_t attribute_bytes = 0;
        if ((raw & kMoreFlag) && !c.u32(attribute_bytes)) return truncated(token, "element start");
        if (++depth > limits_.max_element_depth)
          return fail(token,
                      "elements nested more than " + std::to_string(limits_.max_element_depth) + " deep");
        break;
      }
      case kCloseStartElement:
        push(Op::kCloseStart, token);
        break;
      case kCloseEmptyElement:
      case kEndElement:
        if (depth == 0) return fail(token, "element end without an element start");
        --depth;
        push(base == kEndElement ? Op::kEnd : Op::kCloseEmpty, token);
        break;

      case kValueText: {
        std::uint8_t type = 0;
        if (!c.u8(type)) return truncated(token, "value");
        if (type == kStringType) {
          std::uint16_t count = 0;
          std::span<const std::uint8_t> bytes;
          if (!c.u16(count) || !c.bytes(2 * std::size_t{count}, bytes)) return truncated(token, "value text");
          std::size_t pool_begin = out.pool.size();
          append_utf16le(out.pool, bytes, false);
          push_text(Op::kText, token, pool_begin);
        } else {
          std::size_t size = value_fixed_size(type, 8);
          std::span<const std::uint8_t> bytes;
          if (size == 0) return fail(token, "value token of type " + hex(type) + " has no known size");
          if (!c.bytes(size, bytes)) return truncated(token, "value");
          Op& op = push(Op::kValue, token);
          op.type = type;
          op.begin = static_cast<std::uint32_t>(bytes.data() - chunk_.data());
          op.length = static_cast<std::uint32_t>(size);
        }
        break;
      }
      case kAttribute: {
        std::uint32_t name_offset = 0;
        if (!c.u32(name_offset)) return truncated(token, "attribute");
        Op& op = push(Op::kAttr, token);
        if (!read_name(token, name_offset, op.name)) return false;
        break;
      }
      case kCDataSection: {
        std::uint16_t count = 0;
        std::span<const std::uint8_t> bytes;
        if (!c.u16(count) || !c.bytes(2 * std::size_t{count}, bytes))
          return truncated(token, "CDATA section");
        std::size_t pool_begin = out.pool.size();
        append_utf16le(out.pool, bytes, false);
        push_text(Op::kCData, token, pool_begin);
        break;
      }
      case kCharRef: {
        std::uint16_t code = 0;
        if (!c.u16(code)) return truncated(token, "character reference");
        std::size_t pool_begin = out.pool.size();
        append_code_point(out.pool, code);
        push_text(Op::kText, token, pool_begin);
        break;
      }
      case kEntityRef: {
        std::uint32_t name_offset = 0;
        const Name* name = nullptr;
        if (!c.u32(name_offset)) return truncated(token, "entity reference");
        if (!read_name(token, name_offset, name)) return false;
        std::size_t pool_begin = out.pool.size();
        std::string_view text = entity_text(name->text);
        if (text.empty())
          out.pool.append("&").append(name->text).append(";");  // as an XML parser leaves unknown ones
        else
          out.pool.append(text);
        push_text(Op::kText, token, pool_begin);
        break;
      }
      case kPiTarget: {  // processing instructions carry nothing the event model reads
        std::uint32_t name_offset = 0;
        const Name* name = nullptr;
        if (!c.u32(name_offset)) return truncated(token, "processing instruction");
        if (!read_name(token, name_offset, name)) return false;
        break;
      }
      case kPiData: {
        std::uint16_t count = 0;
        if (!c.u16(count) || !c.skip(2 * std::size_t{count}))
          return truncated(token, "processing instruction");
        break;
      }

      case kTemplateInstance: {
        std::uint8_t unknown = 0;
        std::uint32_t template_id = 0, definition = 0;
        if (!c.u8(unknown) || !c.u32(template_id) || !c.u32(definition))
          return truncated(token, "template instance");
        if (definition == c.pos()) {
          // Defined here, at its first use in the chunk: step over it (it is compiled from its offset).
          std::uint32_t data_size = 0;
          if (!c.skip(20) || !c.u32(data_size) || !c.skip(data_size))
            return truncated(token, "template definition");
        } else if (definition >= token) {
          return fail(token, "template definition offset " + hex(definition) +
                                 " is neither inline nor earlier in the chunk");
        }
        const Template* t = template_at(definition, token, nesting);
        if (!t) return false;
        // The instance names its template by the first 4 bytes of the definition's GUID; a definition that
        // a later record overwrote (seen in records found by scanning) does not match.
        if (load_u32(chunk_.data() + definition + 4) != template_id)
          return fail(token, "template instance names template " + hex(template_id) +
                                 " but the definition at " + hex(definition) + " is " +
                                 hex(load_u32(chunk_.data() + definition + 4)) + " (overwritten?)");
        std::uint32_t count = 0;
        if (!c.u32(count)) return truncated(token, "template instance data");
        if (count > c.remaining() / 4) return truncated(token, "template instance value descriptors");
        std::size_t descriptors = c.pos();
        c.skip(4 * std::size_t{count});
        Compiled::Instance instance{t, static_cast<std::uint32_t>(out.values.size()), count};
        out.values.reserve(out.values.size() + count);
        for (std::uint32_t i = 0; i < count; ++i) {
          const std::uint8_t* d = chunk_.data() + descriptors + 4 * std::size_t{i};
          Value value;
          value.type = d[2];
          if (!c.bytes(load_u16(d), value.bytes)) return truncated(token, "template instance values");
          out.values.push_back(value);
        }
        out.instances.push_back(instance);
        push(Op::kTemplate, token).begin = static_cast<std::uint32_t>(out.instances.size() - 1);
        break;
      }
      case kNormalSubstitution:
      case kOptionalSubstitution: {
        std::uint16_t index = 0;
        std::uint8_t type = 0;
        if (!c.u16(index) || !c.u8(type)) return truncated(token, "substitution");
        Op& op = push(Op::kSubst, token);
        op.index = index;
        op.type = type;
        op.optional = base == kOptionalSubstitution;
        break;
      }
      case kFragmentHeader:
        if (!c.skip(3)) return truncated(token, "fragment header");  // major, minor version, flags
        break;
      default:
        return fail(token, "unknown BinXML token " + hex(raw));
    }
  }
  if (depth != 0) return fail(c.pos(), "data ends inside an open element");
  return true;
}

bool ChunkDecoder::run(const Compiled& unit, std::span<const Value> values, int nesting, BinXmlSink& sink) {
  bool in_tag = false;
  for (const Op& op : unit.ops) {
    if (!spend(op.offset)) return false;
    switch (op.kind) {
      case Op::kOpen:
        sink.start_element(*op.name);
        in_tag = true;
        break;
      case Op::kAttr:
        sink.attribute(*op.name);
        break;
      case Op::kCloseStart:
        sink.close_start_tag();
        in_tag = false;
        break;
      case Op::kCloseEmpty:
        sink.close_start_tag();
        sink.end_element();
        in_tag = false;
        break;
      case Op::kEnd:
        sink.end_element();
        break;
      case Op::kText:
        sink.text(std::string_view(unit.pool).substr(op.begin, op.length));
        break;
      case Op::kCData:
        sink.cdata(std::string_view(unit.pool).substr(op.begin, op.length));
        break;
      case Op::kValue:
        sink.substitution(Value{op.type, chunk_.subspan(op.begin, op.length)}, false);
        break;
      case Op::kSubst: {
        if (op.index >= values.size())
          return fail(op.offset, "substitution " + std::to_string(op.index) +
                                     " but the template instance has " + std::to_string(values.size()) +
                                     " values");
        const Value& value = values[op.index];
        if (value.type != kBinXmlType) {
          sink.substitution(value, op.optional);
          break;
        }
        if (in_tag) break;  // nested XML has no text form inside an attribute value
        if (nesting + 1 >= limits_.max_nesting)
          return fail(op.offset,
                      "BinXML values nested more than " + std::to_string(limits_.max_nesting) + " deep");
        std::size_t begin = static_cast<std::size_t>(value.bytes.data() - chunk_.data());
        Compiled& inner = scratch(nesting + 1);
        if (!compile(begin, begin + value.bytes.size(), false, nesting + 1, inner)) return false;
        if (!run(inner, {}, nesting + 1, sink)) return false;
        break;
      }
      case Op::kTemplate: {
        const auto& instance = unit.instances[op.begin];
        if (nesting + 1 >= limits_.max_nesting)
          return fail(op.offset,
                      "templates nested more than " + std::to_string(limits_.max_nesting) + " deep");
        auto instance_values =
            std::span<const Value>(unit.values).subspan(instance.first_value, instance.value_count);
        if (!run(instance.definition->body, instance_values, nesting + 1, sink)) return false;
        break;
      }
    }
  }
  return true;
}

}  // namespace rdpmend::events::evtx
