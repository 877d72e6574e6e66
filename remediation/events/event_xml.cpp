#include "events/event_xml.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>

#include <pugixml.hpp>

#include "events/event_element.h"
#include "events/text_decoder.h"

namespace rdpmend::events {

std::string ReadError::text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line) + ":" + std::to_string(column);
  return out + ": " + message;
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
