#include "events/event_xml.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>

#include <pugixml.hpp>

#include "events/event_time.h"
#include "events/text_decoder.h"
#include "util/encoding.h"

namespace rdpmend::events {

std::string ReadError::text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  return out + ": " + message;
}

// ---------------------------------------------------------------------------------------------
// One <Event> element -> Event
// ---------------------------------------------------------------------------------------------
namespace {

std::string_view local_name(const char* name) {
  std::string_view n(name);
  auto colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

pugi::xml_node child(pugi::xml_node parent, std::string_view name) {
  for (auto c : parent.children())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

// The elements of <System> the event model reads, found in one pass over its children (the first of each
// name wins, as child() would find it); a lookup per element was the parser's largest cost.
struct SystemElements {
  pugi::xml_node provider, event_id, version, level, task, opcode, keywords, time_created, record_id,
      correlation, execution, channel, computer, security;
};

SystemElements system_elements(pugi::xml_node system) {
  using Member = pugi::xml_node SystemElements::*;
  static constexpr std::pair<std::string_view, Member> kElements[] = {
      {"Provider", &SystemElements::provider},
      {"EventID", &SystemElements::event_id},
      {"Version", &SystemElements::version},
      {"Level", &SystemElements::level},
      {"Task", &SystemElements::task},
      {"Opcode", &SystemElements::opcode},
      {"Keywords", &SystemElements::keywords},
      {"TimeCreated", &SystemElements::time_created},
      {"EventRecordID", &SystemElements::record_id},
      {"Correlation", &SystemElements::correlation},
      {"Execution", &SystemElements::execution},
      {"Channel", &SystemElements::channel},
      {"Computer", &SystemElements::computer},
      {"Security", &SystemElements::security},
  };
  SystemElements found;
  for (auto c = system.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    auto name = local_name(c.name());
    for (const auto& [element, member] : kElements)
      if (name == element) {
        if (!(found.*member)) found.*member = c;
        break;
      }
  }
  return found;
}

struct FieldError {
  pugi::xml_node node;
  std::string message;
};

template <typename T>
bool parse_number(std::string_view text, T& out, int base = 10) {
  while (!text.empty() &&
         (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
    text.remove_prefix(1);
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
    text.remove_suffix(1);
  if (base == 16 && text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X'))
    text.remove_prefix(2);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out, base);
  return ec == std::errc() && end == text.data() + text.size();
}

// Reads an optional unsigned number from element text; empty text means "absent".
template <typename T>
std::optional<FieldError> read_uint(pugi::xml_node node, const char* what, T& out) {
  if (!node) return std::nullopt;
  std::string_view text = node.child_value();
  if (text.empty()) return std::nullopt;
  if (!parse_number(text, out))
    return FieldError{
        node, std::string(what) + " '" + std::string(text.substr(0, 40)) + "' is not a number in range"};
  return std::nullopt;
}

template <typename T>
std::optional<FieldError> read_uint_attr(pugi::xml_node node, const char* attr, const char* what,
                                         std::optional<T>& out) {
  if (!node) return std::nullopt;
  std::string_view text = node.attribute(attr).value();
  if (text.empty()) return std::nullopt;
  T value{};
  if (!parse_number(text, value))
    return FieldError{
        node, std::string(what) + " '" + std::string(text.substr(0, 40)) + "' is not a number in range"};
  out = value;
  return std::nullopt;
}

// python-evtx renders classic string inserts as "<string>a</string>\n<string>b</string>" inside one
// <Data>; EvtRender writes one <Data> per insert. Returns the inserts when `value` has that form.
std::optional<std::vector<std::string>> python_evtx_strings(std::string_view value) {
  static constexpr std::string_view kOpen = "<string>", kClose = "</string>";
  std::vector<std::string> out;
  std::size_t pos = 0;
  auto skip_ws = [&] {
    while (pos < value.size() &&
           (value[pos] == ' ' || value[pos] == '\n' || value[pos] == '\r' || value[pos] == '\t'))
      ++pos;
  };
  skip_ws();
  if (value.substr(pos, kOpen.size()) != kOpen) return std::nullopt;
  while (pos < value.size()) {
    if (value.substr(pos, kOpen.size()) != kOpen) return std::nullopt;
    pos += kOpen.size();
    auto close = value.find(kClose, pos);
    if (close == std::string_view::npos) return std::nullopt;
    out.emplace_back(value.substr(pos, close - pos));
    pos = close + kClose.size();
    skip_ws();
  }
  return out;
}

void flatten_user_data(pugi::xml_node node, const std::string& prefix, std::vector<EventField>& out) {
  for (auto c : node.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string name = prefix + std::string(local_name(c.name()));
    bool has_elements = std::any_of(c.children().begin(), c.children().end(),
                                    [](pugi::xml_node n) { return n.type() == pugi::node_element; });
    if (has_elements)
      flatten_user_data(c, name + ".", out);
    else
      out.push_back({name, c.child_value()});
  }
}

}  // namespace

FragmentResult parse_event_element(std::string_view xml, std::string_view inherited_namespace) {
  pugi::xml_document doc;
  // No parse_doctype: a DOCTYPE (and with it any entity trick) is an error.
  auto parsed = doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed)
    return FragmentError{static_cast<std::size_t>(std::max<std::ptrdiff_t>(parsed.offset, 0)),
                         std::string("malformed XML: ") + parsed.description()};
  auto root = doc.document_element();
  if (!root || local_name(root.name()) != "Event") return FragmentError{0, "expected an <Event> element"};

  auto fail = [&](pugi::xml_node node, std::string message) -> FragmentResult {
    return FragmentError{
        node ? static_cast<std::size_t>(std::max<std::ptrdiff_t>(node.offset_debug(), 0)) : 0,
        std::move(message)};
  };

  std::string_view ns =
      root.attribute("xmlns") ? std::string_view(root.attribute("xmlns").value()) : inherited_namespace;
  if (!ns.empty() && ns != kEventNamespace)
    return fail(root, "wrong namespace '" + std::string(ns.substr(0, 200)) + "' (expected " +
                          std::string(kEventNamespace) + ")");

  auto system = child(root, "System");
  if (!system) return fail(root, "no <System> element");

  Event ev;
  auto sys = system_elements(system);
  auto provider = sys.provider;
  if (!provider) return fail(system, "no <Provider> element");
  ev.provider_name = provider.attribute("Name").value();
  ev.provider_guid = provider.attribute("Guid").value();
  ev.event_source_name = provider.attribute("EventSourceName").value();
  if (ev.provider_name.empty() && !ev.event_source_name.empty()) ev.provider_name = ev.event_source_name;
  if (ev.provider_name.empty()) return fail(provider, "<Provider> has no Name");

  auto id_node = sys.event_id;
  if (!id_node) return fail(system, "no <EventID> element");
  std::uint32_t raw_id = 0;
  if (!parse_number(std::string_view(id_node.child_value()), raw_id))
    return fail(id_node, "EventID '" + std::string(std::string_view(id_node.child_value()).substr(0, 40)) +
                             "' is not a number in range");
  std::optional<std::uint16_t> qualifiers;
  if (auto e = read_uint_attr(id_node, "Qualifiers", "Qualifiers", qualifiers))
    return fail(e->node, e->message);
  // A classic message id (e.g. 0xC0000421) carries severity and facility in its upper 16 bits.
  ev.event_id = static_cast<std::uint16_t>(raw_id & 0xFFFF);
  ev.qualifiers = qualifiers;
  if (!ev.qualifiers && raw_id > 0xFFFF) ev.qualifiers = static_cast<std::uint16_t>(raw_id >> 16);

  if (auto e = read_uint(sys.version, "Version", ev.version)) return fail(e->node, e->message);
  if (auto e = read_uint(sys.level, "Level", ev.level)) return fail(e->node, e->message);
  if (auto e = read_uint(sys.task, "Task", ev.task)) return fail(e->node, e->message);
  if (auto e = read_uint(sys.opcode, "Opcode", ev.opcode)) return fail(e->node, e->message);
  if (auto kw = sys.keywords) {
    std::string_view text = kw.child_value();
    if (!text.empty() && !parse_number(text, ev.keywords, 16))
      return fail(kw, "Keywords '" + std::string(text.substr(0, 40)) + "' is not a hexadecimal number");
  }
  if (auto tc = sys.time_created) {
    std::string_view text = tc.attribute("SystemTime").value();
    if (!text.empty()) {
      ev.time_created = parse_event_time(text);
      if (!ev.time_created)
        return fail(tc,
                    "TimeCreated/@SystemTime '" + std::string(text.substr(0, 60)) + "' is not a UTC time");
    }
  }
  if (auto e = read_uint(sys.record_id, "EventRecordID", ev.record_id)) return fail(e->node, e->message);
  ev.activity_id = sys.correlation.attribute("ActivityID").value();
  auto execution = sys.execution;
  if (auto e = read_uint_attr(execution, "ProcessID", "ProcessID", ev.process_id))
    return fail(e->node, e->message);
  if (auto e = read_uint_attr(execution, "ThreadID", "ThreadID", ev.thread_id))
    return fail(e->node, e->message);
  ev.channel = sys.channel.child_value();
  ev.computer = sys.computer.child_value();
  ev.user_sid = sys.security.attribute("UserID").value();

  if (auto event_data = child(root, "EventData")) {
    bool any_named = false, any_unnamed = false;
    for (auto c : event_data.children()) {
      if (c.type() != pugi::node_element) continue;
      auto name = local_name(c.name());
      if (name == "Data") {
        if (auto n = c.attribute("Name")) {
          any_named = true;
          ev.data.push_back({n.value(), c.child_value()});
        } else if (auto inserts = python_evtx_strings(c.child_value())) {
          any_unnamed = true;
          for (auto& s : *inserts) ev.data.push_back({"", std::move(s)});
        } else {
          any_unnamed = true;
          ev.data.push_back({"", c.child_value()});
        }
      } else if (name == "Binary") {
        auto bytes = util::decode_hex_or_base64(c.child_value());
        if (!bytes) return fail(c, "<Binary> is neither hexadecimal nor Base64");
        ev.binary = std::move(*bytes);
      }
    }
    ev.shape = (any_unnamed && !any_named) || (!any_named && !ev.binary.empty()) ? DataShape::kClassic
                                                                                 : DataShape::kEventData;
  } else if (auto user_data = child(root, "UserData")) {
    ev.shape = DataShape::kUserData;
    for (auto c : user_data.children()) {
      if (c.type() != pugi::node_element) continue;
      ev.user_data_element = std::string(local_name(c.name()));
      flatten_user_data(c, "", ev.data);
      break;
    }
  }
  if (auto rendering = child(root, "RenderingInfo")) ev.message = child(rendering, "Message").child_value();
  return ev;
}

// ---------------------------------------------------------------------------------------------
// The stream splitter: bytes -> code points -> one <Event> element at a time
// ---------------------------------------------------------------------------------------------
namespace {

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// XML 1.0 allows only tab, LF and CR below U+0020, and nothing in U+FFFE/U+FFFF.
bool is_forbidden(char32_t c) {
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0xFFFE || c == 0xFFFF;
}

std::string code_point_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

// Name of a start or end tag: "<x:Event a='b'>" -> "Event", "</Events>" -> "Events".
std::string_view tag_local_name(std::string_view tag, bool& closing) {
  std::size_t pos = 1;
  closing = pos < tag.size() && tag[pos] == '/';
  if (closing) ++pos;
  std::size_t end = pos;
  while (end < tag.size() && tag[end] != ' ' && tag[end] != '\t' && tag[end] != '\n' && tag[end] != '\r' &&
         tag[end] != '>' && tag[end] != '/')
    ++end;
  auto name = tag.substr(pos, end - pos);
  auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

class Splitter {
 public:
  Splitter(const std::string& source, const EventCallback& on_event, const ErrorCallback& on_error,
           const XmlReadOptions& options)
      : source_(source), on_event_(on_event), on_error_(on_error), options_(options) {}

  void feed(char32_t c) {
    if (mode_ == Mode::kEvent)
      event_char(c);
    else
      top_char(c);
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
  }

  void finish() {
    if (mode_ == Mode::kEvent) {
      error(event_line_, event_column_, "truncated event: no closing </Event> before the end of the file");
    } else if (mode_ == Mode::kTopMarkup) {
      error(markup_line_, markup_column_, "truncated markup at the end of the file");
    }
    if (stats_.events == 0 && stats_.errors == 0) error(0, 0, "no <Event> element in the file");
  }

  const ReadStats& stats() const { return stats_; }

 private:
  enum class Mode { kTop, kTopMarkup, kEvent };
  enum class Markup { kText, kTag, kComment, kCData, kPi };
  static constexpr std::size_t kMaxTopMarkup = 64 * 1024;
  static constexpr std::size_t kMaxTagPrefix = 64;

  void error(std::uint64_t line, std::uint64_t column, std::string message) {
    ++stats_.errors;
    on_error_(ReadError{source_, line, column, std::move(message)});
  }

  void garbage(const std::string& what) {
    if (!garbage_reported_)
      error(line_, column_, what + ": not Windows event XML (expected <Event> or <Events>)");
    garbage_reported_ = true;
  }

  // --- outside any <Event> ---
  void top_char(char32_t c) {
    if (mode_ == Mode::kTop) {
      if (c == '<') {
        mode_ = Mode::kTopMarkup;
        markup_ = "<";
        markup_kind_ = Markup::kTag;
        quote_ = 0;
        markup_line_ = line_;
        markup_column_ = column_;
      } else if (!is_space(c)) {
        if (c == kInvalidCodePoint)
          garbage("invalid byte sequence");
        else
          garbage("unexpected text");
      }
      return;
    }
    // kTopMarkup
    if (c == kInvalidCodePoint || is_forbidden(c)) {
      garbage(c == kInvalidCodePoint ? "invalid byte sequence" : "invalid character " + code_point_name(c));
      mode_ = Mode::kTop;
      return;
    }
    if (markup_.size() > kMaxTopMarkup) {
      garbage("oversized markup");
      mode_ = Mode::kTop;
      return;
    }
    append_utf8(markup_, c);
    switch (markup_kind_) {
      case Markup::kComment:
        if (markup_.ends_with("-->")) mode_ = Mode::kTop;
        return;
      case Markup::kPi:
        if (markup_.ends_with("?>")) mode_ = Mode::kTop;
        return;
      default:
        break;
    }
    if (markup_ == "<!--") {
      markup_kind_ = Markup::kComment;
      return;
    }
    if (markup_ == "<?") {
      markup_kind_ = Markup::kPi;
      return;
    }
    if (quote_) {
      if (c == quote_) quote_ = 0;
      return;
    }
    if (c == '"' || c == '\'') {
      quote_ = c;
      return;
    }
    if (c != '>') return;
    mode_ = Mode::kTop;
    bool closing = false;
    auto name = tag_local_name(markup_, closing);
    if (markup_.starts_with("<!")) {
      garbage("DOCTYPE or other declaration");
    } else if (name == "Events") {
      if (!closing) read_root_namespace();
    } else if (name == "Event" && !closing) {
      start_event();
    } else {
      garbage("unexpected element <" + std::string(closing ? "/" : "") + std::string(name.substr(0, 60)) +
              ">");
    }
  }

  void read_root_namespace() {
    pugi::xml_document doc;
    std::string xml = markup_;
    if (!xml.ends_with("/>")) xml.insert(xml.size() - 1, "/");
    if (doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8))
      root_namespace_ = doc.document_element().attribute("xmlns").value();
  }

  void start_event() {
    garbage_reported_ = false;
    event_line_ = markup_line_;
    event_column_ = markup_column_;
    event_ = markup_;
    oversized_ = event_.size() > options_.max_event_bytes;
    poisoned_.reset();
    if (markup_.ends_with("/>")) {
      complete_event();
      return;
    }
    mode_ = Mode::kEvent;
    markup_kind_ = Markup::kText;
  }

  // --- inside an <Event> ---
  void event_char(char32_t c) {
    if (!poisoned_) {
      if (c == kInvalidCodePoint)
        poisoned_ = ReadError{source_, line_, column_, "invalid byte sequence for the file's encoding"};
      else if (is_forbidden(c))
        poisoned_ = ReadError{source_, line_, column_,
                              "invalid character " + code_point_name(c) + " (not allowed in XML 1.0)"};
    }
    if (!poisoned_ && !oversized_) {
      append_utf8(event_, c);
      if (event_.size() > options_.max_event_bytes) {
        oversized_ = true;
        std::string().swap(event_);  // give the memory back at once
      }
    }
    switch (markup_kind_) {
      case Markup::kText:
        if (c == '<') {
          markup_kind_ = Markup::kTag;
          tag_ = "<";
          quote_ = 0;
        }
        return;
      case Markup::kComment:
        window_push(c);
        if (window_ == "-->") markup_kind_ = Markup::kText;
        return;
      case Markup::kCData:
        window_push(c);
        if (window_ == "]]>") markup_kind_ = Markup::kText;
        return;
      case Markup::kPi:
        window_push(c);
        if (window_.ends_with("?>")) markup_kind_ = Markup::kText;
        return;
      case Markup::kTag:
        break;
    }
    if (quote_) {
      if (c == quote_) quote_ = 0;
      return;
    }
    if (tag_.size() < kMaxTagPrefix && c != kInvalidCodePoint) append_utf8(tag_, c);
    if (tag_ == "<!--") {
      markup_kind_ = Markup::kComment;
      window_.clear();
      return;
    }
    if (tag_ == "<![CDATA[") {
      markup_kind_ = Markup::kCData;
      window_.clear();
      return;
    }
    if (tag_ == "<?") {
      markup_kind_ = Markup::kPi;
      window_.clear();
      return;
    }
    if (c == '"' || c == '\'') {
      quote_ = c;
      return;
    }
    if (c != '>') return;
    markup_kind_ = Markup::kText;
    bool closing = false;
    if (tag_local_name(tag_, closing) == "Event" && closing) complete_event();
  }

  void window_push(char32_t c) {
    if (window_.size() == 3) window_.erase(0, 1);
    window_.push_back(c < 0x80 ? static_cast<char>(c) : '?');
  }

  void complete_event() {
    mode_ = Mode::kTop;
    if (poisoned_) {
      ++stats_.errors;
      on_error_(std::move(*poisoned_));
      poisoned_.reset();
    } else if (oversized_) {
      error(event_line_, event_column_,
            "event is larger than " + std::to_string(options_.max_event_bytes) + " bytes; skipped");
    } else {
      auto parsed = parse_event_element(event_, root_namespace_);
      if (auto* ev = std::get_if<Event>(&parsed)) {
        ev->source = source_;
        ev->source_line = event_line_;
        ++stats_.events;
        on_event_(std::move(*ev));
      } else {
        auto& fe = std::get<FragmentError>(parsed);
        auto [line, column] = position_of(fe.offset);
        error(line, column, fe.message);
      }
    }
    std::string().swap(event_);
  }

  std::pair<std::uint64_t, std::uint64_t> position_of(std::size_t offset) const {
    std::uint64_t line = event_line_, column = event_column_;
    offset = std::min(offset, event_.size());
    for (std::size_t i = 0; i < offset; ++i) {
      unsigned char b = static_cast<unsigned char>(event_[i]);
      if (b == '\n') {
        ++line;
        column = 1;
      } else if ((b & 0xC0) != 0x80) {
        ++column;  // count code points, not UTF-8 continuation bytes
      }
    }
    return {line, column};
  }

  const std::string& source_;
  const EventCallback& on_event_;
  const ErrorCallback& on_error_;
  const XmlReadOptions& options_;

  Mode mode_ = Mode::kTop;
  Markup markup_kind_ = Markup::kText;
  char32_t quote_ = 0;
  std::string markup_;
  std::string tag_;
  std::string window_;
  std::string event_;
  std::string root_namespace_;
  bool oversized_ = false;
  bool garbage_reported_ = false;
  std::optional<ReadError> poisoned_;
  std::uint64_t line_ = 1, column_ = 1;
  std::uint64_t markup_line_ = 0, markup_column_ = 0;
  std::uint64_t event_line_ = 0, event_column_ = 0;
  ReadStats stats_;
};

}  // namespace

ReadStats read_event_xml(std::istream& in, const std::string& source, const EventCallback& on_event,
                         const ErrorCallback& on_error, const XmlReadOptions& options) {
  Splitter splitter(source, on_event, on_error, options);
  TextDecoder decoder(in);
  char32_t c;
  while (decoder.next(c)) splitter.feed(c);
  if (in.bad()) {
    ReadStats stats = splitter.stats();
    on_error(ReadError{source, 0, 0, "read error"});
    ++stats.errors;
    return stats;
  }
  splitter.finish();
  return splitter.stats();
}

ReadStats read_event_xml_file(const std::filesystem::path& path, const EventCallback& on_event,
                              const ErrorCallback& on_error, const XmlReadOptions& options) {
  std::string source = path.string();
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    on_error(ReadError{source, 0, 0, "is a directory, not an event file"});
    return {0, 1};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    on_error(ReadError{source, 0, 0, "cannot open: " + std::generic_category().message(errno)});
    return {0, 1};
  }
  return read_event_xml(in, source, on_event, on_error, options);
}

}  // namespace rdpmend::events
