#include "evtx/event_builder.h"

#include <cstring>
#include <initializer_list>

#include "events/assemble_event.h"
#include "events/event_time.h"
#include "evtx/binxml_values.h"
#include "evtx/byte_cursor.h"

namespace rdpmend::events::evtx {
namespace {

bool is_xml_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool whitespace_only(std::string_view text) {
  for (char c : text)
    if (!is_xml_space(c)) return false;
  return true;
}

// pugixml's parse_eol: CR LF and a lone CR become LF.
void normalize_eol(std::string& text) {
  if (std::memchr(text.data(), '\r', text.size()) == nullptr) return;
  std::size_t out = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r') {
      text[out++] = '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    } else {
      text[out++] = text[i];
    }
  }
  text.resize(out);
}

// pugixml's parse_wconv_attribute with parse_eol: tab, LF, CR and CR LF each become one space.
void normalize_attribute(std::string& text) {
  bool any = false;
  for (char c : text) any |= c == '\t' || c == '\n' || c == '\r';
  if (!any) return;
  normalize_eol(text);
  for (auto& c : text)
    if (c == '\n' || c == '\t') c = ' ';
}

}  // namespace

EventBuilder::EventBuilder() : frames_(kMaxFrames) {}

void EventBuilder::reset(std::uint64_t header_record_id) {
  header_record_id_ = header_record_id;
  depth_ = 0;
  in_tag_ = false;
  unbalanced_ = false;
  overflow_ = false;
  text_bytes_ = 0;
  roots_ = 0;
  root_is_event_ = false;
  system_seen_ = event_data_seen_ = user_data_seen_ = rendering_seen_ = false;
  message_seen_ = user_data_root_seen_ = false;
  system_seen_mask_ = 0;
  for (auto& s : system_text_) s.clear();
  for (auto& s : slots_) {
    s.text.clear();
    s.present = false;
    s.filetime.reset();
  }
  attr_ = nullptr;
  event_data_.clear();
  user_data_.clear();
  any_named_ = any_unnamed_ = false;
  binary_ = {};
  user_data_element_.clear();
  message_.clear();
}

EventBuilder::Frame* EventBuilder::top() {
  return depth_ >= 1 && depth_ <= kMaxFrames ? &frames_[depth_ - 1] : nullptr;
}

bool EventBuilder::budget(std::size_t bytes) {
  text_bytes_ += bytes;
  if (text_bytes_ > kMaxTextBytes) overflow_ = true;
  return !overflow_;
}

EventBuilder::Role EventBuilder::role_for(const Frame* parent, const Name& name) {
  if (!parent) {
    if (roots_++ > 0) return Role::kIgnore;  // only the first element of the fragment is the event
    root_is_event_ = name.id == NameId::kEvent;
    return root_is_event_ ? Role::kRoot : Role::kIgnore;
  }
  auto first = [](bool& seen) {
    if (seen) return false;
    seen = true;
    return true;
  };
  switch (parent->role) {
    case Role::kRoot:
      switch (name.id) {
        case NameId::kSystem:
          return first(system_seen_) ? Role::kSystem : Role::kIgnore;
        case NameId::kEventData:
          return first(event_data_seen_) ? Role::kEventData : Role::kIgnore;
        case NameId::kUserData:
          return first(user_data_seen_) ? Role::kUserData : Role::kIgnore;
        case NameId::kRenderingInfo:
          return first(rendering_seen_) ? Role::kRenderingInfo : Role::kIgnore;
        default:
          return Role::kIgnore;
      }
    case Role::kSystem: {
      Role role = Role::kIgnore;
      switch (name.id) {
        case NameId::kProvider:
          role = Role::kProvider;
          break;
        case NameId::kEventID:
          role = Role::kEventID;
          break;
        case NameId::kVersion:
          role = Role::kVersion;
          break;
        case NameId::kLevel:
          role = Role::kLevel;
          break;
        case NameId::kTask:
          role = Role::kTask;
          break;
        case NameId::kOpcode:
          role = Role::kOpcode;
          break;
        case NameId::kKeywords:
          role = Role::kKeywords;
          break;
        case NameId::kTimeCreated:
          role = Role::kTimeCreated;
          break;
        case NameId::kEventRecordID:
          role = Role::kEventRecordID;
          break;
        case NameId::kCorrelation:
          role = Role::kCorrelation;
          break;
        case NameId::kExecution:
          role = Role::kExecution;
          break;
        case NameId::kChannel:
          role = Role::kChannel;
          break;
        case NameId::kComputer:
          role = Role::kComputer;
          break;
        case NameId::kSecurity:
          role = Role::kSecurity;
          break;
        default:
          return Role::kIgnore;
      }
      std::uint32_t bit = 1u << (static_cast<int>(role) - static_cast<int>(Role::kProvider));
      if (system_seen_mask_ & bit) return Role::kIgnore;
      system_seen_mask_ |= bit;
      return role;
    }
    case Role::kEventData:
      if (name.id == NameId::kData) return Role::kData;
      if (name.id == NameId::kBinary) return Role::kBinary;
      return Role::kIgnore;
    case Role::kUserData:
      if (!first(user_data_root_seen_)) return Role::kIgnore;
      user_data_element_ = name.text;
      return Role::kUserDataRoot;
    case Role::kUserDataRoot:
    case Role::kUserDataNode:
      return Role::kUserDataNode;
    case Role::kRenderingInfo:
      return name.id == NameId::kMessage && first(message_seen_) ? Role::kMessage : Role::kIgnore;
    default:
      return Role::kIgnore;
  }
}

void EventBuilder::start_element(const Name& name) {
  finish_attribute();
  const bool is_root = depth_ == 0;
  Frame* parent = top();
  if (parent) {
    flush_segment(*parent);
    parent->has_child = true;
  }
  in_tag_ = true;
  ++depth_;
  if (depth_ > kMaxFrames) return;  // too deep to matter: only counted
  Role role = is_root ? role_for(nullptr, name) : (parent ? role_for(parent, name) : Role::kIgnore);
  Frame& f = frames_[depth_ - 1];
  f.role = role;
  f.collect = is_system_text(role) || role == Role::kData || role == Role::kBinary ||
              role == Role::kUserDataNode || role == Role::kMessage;
  f.has_child = false;
  f.omitted = false;
  f.event_data_mark = event_data_.size();
  f.user_data_mark = user_data_.size();
  f.value_set = false;
  f.segment.clear();
  f.value.clear();
  f.segment_parts = 0;
  f.segment_array = f.value_array = false;
  f.segment_bytes = f.value_bytes = false;
  f.items.clear();
  if (role == Role::kUserDataNode) {
    if (parent->role == Role::kUserDataRoot) {
      f.path = name.text;
    } else {
      f.path = parent->path;
      f.path += '.';
      f.path += name.text;
    }
  }
  if (role == Role::kData) {
    Slot& s = slots_[kSlotDataName];
    s.text.clear();
    s.present = false;
  }
}

void EventBuilder::attribute(const Name& name) {
  finish_attribute();
  Frame* f = top();
  if (!f || !in_tag_) return;
  // The attributes read, by the element (role) that carries them; every other attribute is skipped.
  struct AttributeSlot {
    Role role;
    NameId name;
    SlotId slot;
  };
  static constexpr AttributeSlot kAttributeSlots[] = {
      {Role::kRoot, NameId::kXmlns, kSlotXmlns},
      {Role::kProvider, NameId::kName, kSlotProviderName},
      {Role::kProvider, NameId::kGuid, kSlotProviderGuid},
      {Role::kProvider, NameId::kEventSourceName, kSlotEventSourceName},
      {Role::kEventID, NameId::kQualifiers, kSlotQualifiers},
      {Role::kTimeCreated, NameId::kSystemTime, kSlotSystemTime},
      {Role::kCorrelation, NameId::kActivityID, kSlotActivityId},
      {Role::kExecution, NameId::kProcessID, kSlotProcessId},
      {Role::kExecution, NameId::kThreadID, kSlotThreadId},
      {Role::kSecurity, NameId::kUserID, kSlotUserId},
      {Role::kData, NameId::kName, kSlotDataName},
  };
  int slot = -1;
  for (const auto& known : kAttributeSlots)
    if (known.role == f->role && known.name == name.id) slot = known.slot;
  if (slot < 0 || slots_[slot].present) return;  // not read, or a repeated attribute: the first one counts
  attr_ = &slots_[slot];
  attr_->text.clear();
  attr_->filetime.reset();
  attr_omit_ = false;
  attr_parts_ = 0;
}

void EventBuilder::finish_attribute() {
  if (!attr_) return;
  if (attr_omit_) {
    attr_->present = false;
    attr_->text.clear();
    attr_->filetime.reset();
  } else {
    attr_->present = true;
    normalize_attribute(attr_->text);
  }
  attr_ = nullptr;
}

void EventBuilder::close_start_tag() {
  finish_attribute();
  in_tag_ = false;
}

void EventBuilder::end_element() {
  finish_attribute();
  in_tag_ = false;
  if (depth_ == 0) {
    unbalanced_ = true;
    return;
  }
  if (Frame* f = top()) {
    flush_segment(*f);
    if (f->omitted)
      drop(*f);
    else
      complete(*f);
  }
  --depth_;
}

void EventBuilder::attribute_part() {
  // A FILETIME kept as a number becomes text once anything else joins it.
  if (attr_->filetime) {
    attr_->text = format_event_time(filetime_to_time(*attr_->filetime));
    attr_->filetime.reset();
  }
  ++attr_parts_;
}

void EventBuilder::text(std::string_view utf8) {
  if (overflow_) return;
  if (in_tag_) {
    if (!attr_) return;
    attribute_part();
    attr_->text.append(utf8);
    budget(utf8.size());
    return;
  }
  Frame* f = top();
  if (!f || !f->collect || f->value_set) return;
  if (f->segment_bytes) {
    append_hex(f->segment, f->bytes);
    f->segment_bytes = false;
  }
  f->segment.append(utf8);
  ++f->segment_parts;
  budget(utf8.size());
}

void EventBuilder::cdata(std::string_view utf8) {
  if (overflow_ || in_tag_) return;
  Frame* f = top();
  if (!f || !f->collect) return;
  flush_segment(*f);
  if (f->value_set) return;
  f->value.assign(utf8);  // a CDATA section is a text node of its own, kept even if only whitespace
  f->value_set = true;
  budget(utf8.size());
}

void EventBuilder::append_value_text(std::string& out, const Value& value) {
  std::size_t before = out.size();
  append_value(out, value.type, value.bytes);
  budget(out.size() - before);
}

void EventBuilder::substitution(const Value& value, bool optional) {
  if (overflow_) return;
  if (in_tag_) {
    if (!attr_) return;
    if (value.type == kNullType) {
      if (optional) attr_omit_ = true;
      return;
    }
    if (attr_ == &slots_[kSlotSystemTime] && value.type == kFileTimeType && value.bytes.size() >= 8 &&
        attr_parts_ == 0) {
      attr_->filetime = load_u64(value.bytes.data());
      ++attr_parts_;
      return;
    }
    attribute_part();
    if (is_array_type(value.type)) {
      // An attribute cannot repeat its element here; its items are joined.
      split_array(value.type, value.bytes, array_scratch_);
      for (std::size_t i = 0; i < array_scratch_.size(); ++i) {
        if (i > 0) attr_->text += ", ";
        append_value_text(attr_->text,
                          Value{static_cast<std::uint8_t>(value.type & 0x7F), array_scratch_[i]});
      }
    } else {
      append_value_text(attr_->text, value);
    }
    return;
  }
  Frame* f = top();
  if (!f) return;
  if (value.type == kNullType) {
    if (optional) f->omitted = true;
    return;
  }
  if (!f->collect || f->value_set) return;
  if (f->role == Role::kBinary && value.type == kBinaryType && f->segment_parts == 0) {
    f->segment_bytes = true;  // the usual <Binary>%n</Binary>: keep the bytes, no hex round trip
    f->bytes = value.bytes;
    ++f->segment_parts;
    budget(value.bytes.size());
    return;
  }
  if (f->segment_bytes) {
    append_hex(f->segment, f->bytes);
    f->segment_bytes = false;
  }
  ++f->segment_parts;
  if (!is_array_type(value.type)) {
    append_value_text(f->segment, value);
    return;
  }
  const auto item_type = static_cast<std::uint8_t>(value.type & 0x7F);
  split_array(value.type, value.bytes, array_scratch_);
  if (array_scratch_.empty()) return;  // an empty array still leaves one (empty) element
  if (array_scratch_.size() == 1 || f->segment_array) {
    // One item is plain text; a second array in the same element is joined (EvtRender would repeat the
    // element for the first array only).
    for (std::size_t i = 0; i < array_scratch_.size(); ++i) {
      if (i > 0) f->segment += ", ";
      append_value_text(f->segment, Value{item_type, array_scratch_[i]});
    }
    return;
  }
  f->segment_array = true;
  f->segment_array_pos = f->segment.size();
  f->items.clear();
  for (const auto& item : array_scratch_) append_value_text(f->items.emplace_back(), Value{item_type, item});
}

void EventBuilder::flush_segment(Frame& f) {
  if (!f.collect) return;
  if (!f.value_set && (f.segment_array || f.segment_bytes || !whitespace_only(f.segment))) {
    f.value.swap(f.segment);
    f.value_set = true;
    f.value_array = f.segment_array;
    f.value_array_pos = f.segment_array_pos;
    f.value_bytes = f.segment_bytes;
  }
  f.segment.clear();
  f.segment_parts = 0;
  f.segment_array = false;
  f.segment_bytes = false;
}

void EventBuilder::values_of(Frame& f, std::vector<std::string>& out) {
  out.clear();
  if (f.value_bytes) {
    append_hex(out.emplace_back(), f.bytes);
    return;
  }
  if (!f.value_array) {
    normalize_eol(f.value);
    out.push_back(std::move(f.value));
    return;
  }
  std::string_view prefix = std::string_view(f.value).substr(0, f.value_array_pos);
  std::string_view suffix = std::string_view(f.value).substr(f.value_array_pos);
  for (auto& item : f.items) {
    std::string& v = out.emplace_back();
    v.reserve(prefix.size() + item.size() + suffix.size());
    v.append(prefix).append(item).append(suffix);
    if (whitespace_only(v)) v.clear();  // each repeated element is its own text node
    normalize_eol(v);
  }
}

// An omitted element takes what was read inside it along.
void EventBuilder::drop(Frame& f) {
  event_data_.resize(f.event_data_mark);
  user_data_.resize(f.user_data_mark);
  auto clear = [&](std::initializer_list<SlotId> ids) {
    for (SlotId id : ids) {
      slots_[id].text.clear();
      slots_[id].present = false;
      slots_[id].filetime.reset();
    }
  };
  switch (f.role) {
    case Role::kRoot:
      root_is_event_ = false;
      break;
    case Role::kSystem:
      system_seen_ = false;
      system_seen_mask_ = 0;
      for (auto& s : system_text_) s.clear();
      clear({kSlotProviderName, kSlotProviderGuid, kSlotEventSourceName, kSlotQualifiers, kSlotSystemTime,
             kSlotActivityId, kSlotProcessId, kSlotThreadId, kSlotUserId});
      break;
    case Role::kEventData:
      event_data_seen_ = false;
      any_named_ = any_unnamed_ = false;
      binary_ = {};
      break;
    case Role::kUserData:
      user_data_seen_ = false;
      user_data_root_seen_ = false;
      user_data_element_.clear();
      break;
    case Role::kUserDataRoot:
      user_data_root_seen_ = false;
      user_data_element_.clear();
      break;
    case Role::kRenderingInfo:
      rendering_seen_ = false;
      message_.clear();
      break;
    case Role::kMessage:
      message_seen_ = false;
      break;
    case Role::kProvider:
      clear({kSlotProviderName, kSlotProviderGuid, kSlotEventSourceName});
      break;
    case Role::kEventID:
      clear({kSlotQualifiers});
      break;
    case Role::kTimeCreated:
      clear({kSlotSystemTime});
      break;
    case Role::kCorrelation:
      clear({kSlotActivityId});
      break;
    case Role::kExecution:
      clear({kSlotProcessId, kSlotThreadId});
      break;
    case Role::kSecurity:
      clear({kSlotUserId});
      break;
    default:
      break;
  }
  if (f.role >= Role::kProvider) {  // a System child: as if it were not there
    int index = static_cast<int>(f.role) - static_cast<int>(Role::kProvider);
    system_seen_mask_ &= ~(1u << index);
    system_text_[index].clear();
  }
}

// The System children whose text is the field itself (kept in system_text_, by role).
bool EventBuilder::is_system_text(Role role) {
  switch (role) {
    case Role::kEventID:
    case Role::kVersion:
    case Role::kLevel:
    case Role::kTask:
    case Role::kOpcode:
    case Role::kKeywords:
    case Role::kEventRecordID:
    case Role::kChannel:
    case Role::kComputer:
      return true;
    default:
      return false;
  }
}

void EventBuilder::complete(Frame& f) {
  if (is_system_text(f.role)) {
    std::string& slot = system_text_[static_cast<int>(f.role) - static_cast<int>(Role::kProvider)];
    if (f.value_bytes) {
      append_hex(slot, f.bytes);
    } else {
      normalize_eol(f.value);
      slot.swap(f.value);
    }
    return;
  }
  switch (f.role) {
    case Role::kData: {
      const Slot& name = slots_[kSlotDataName];
      values_of(f, values_scratch_);
      for (auto& v : values_scratch_)
        event_data_.push_back({name.present ? name.text : std::string(), std::move(v)});
      (name.present ? any_named_ : any_unnamed_) = true;
      break;
    }
    case Role::kBinary:
      if (f.value_bytes)
        add_binary_bytes(binary_, f.bytes);
      else
        add_binary_text(binary_, f.value, 0);
      break;
    case Role::kUserDataNode:
      if (f.has_child) break;  // its leaves are the fields
      values_of(f, values_scratch_);
      for (auto& v : values_scratch_) user_data_.push_back({f.path, std::move(v)});
      break;
    case Role::kMessage:
      normalize_eol(f.value);
      message_.swap(f.value);
      break;
    default:
      break;
  }
}

bool EventBuilder::finish(Event& ev, std::string& error) {
  finish_attribute();
  auto fail = [&](std::string message) {
    error = std::move(message);
    return false;
  };
  if (overflow_)
    return fail("the record expands to more than " + std::to_string(kMaxTextBytes) + " bytes of text");
  if (unbalanced_ || depth_ != 0) return fail("malformed BinXML: element starts and ends do not match");
  auto text_of = [&](Role role) -> std::string& {
    return system_text_[static_cast<int>(role) - static_cast<int>(Role::kProvider)];
  };
  auto seen = [&](Role role) {
    return (system_seen_mask_ >> (static_cast<int>(role) - static_cast<int>(Role::kProvider))) & 1u;
  };
  auto slot = [&](SlotId id) { return RawText{std::move(slots_[id].text), 0}; };
  auto system_text = [&](Role role) { return RawText{std::move(text_of(role)), 0}; };
  RawEventFields raw;
  raw.root_is_event = root_is_event_;
  if (slots_[kSlotXmlns].present) raw.event_namespace = std::move(slots_[kSlotXmlns].text);
  if (system_seen_) raw.system = 0;
  if (seen(Role::kProvider)) raw.provider = 0;
  raw.provider_name = slot(kSlotProviderName);
  raw.provider_guid = std::move(slots_[kSlotProviderGuid].text);
  raw.event_source_name = std::move(slots_[kSlotEventSourceName].text);
  if (seen(Role::kEventID)) raw.event_id_element = 0;
  raw.event_id = system_text(Role::kEventID);
  if (slots_[kSlotQualifiers].present) raw.qualifiers = slot(kSlotQualifiers);
  raw.version = system_text(Role::kVersion);
  raw.level = system_text(Role::kLevel);
  raw.task = system_text(Role::kTask);
  raw.opcode = system_text(Role::kOpcode);
  raw.keywords = system_text(Role::kKeywords);
  if (seen(Role::kTimeCreated)) {
    if (const auto& filetime = slots_[kSlotSystemTime].filetime)
      raw.system_time_value = filetime_to_time(*filetime);
    else
      raw.system_time = slot(kSlotSystemTime);
  }
  raw.record_id = system_text(Role::kEventRecordID);
  raw.default_record_id = header_record_id_;
  raw.activity_id = std::move(slots_[kSlotActivityId].text);
  if (slots_[kSlotProcessId].present) raw.process_id = slot(kSlotProcessId);
  if (slots_[kSlotThreadId].present) raw.thread_id = slot(kSlotThreadId);
  raw.channel = std::move(text_of(Role::kChannel));
  raw.computer = std::move(text_of(Role::kComputer));
  raw.user_sid = std::move(slots_[kSlotUserId].text);
  if (event_data_seen_) {
    raw.section = RawEventFields::Section::kEventData;
    raw.data = std::move(event_data_);
    raw.named_data = any_named_;
    raw.unnamed_data = any_unnamed_;
    raw.binary = std::move(binary_);
  } else if (user_data_seen_) {
    raw.section = RawEventFields::Section::kUserData;
    raw.data = std::move(user_data_);
    raw.user_data_element = std::move(user_data_element_);
  }
  raw.message = std::move(message_);
  auto event = assemble_event(std::move(raw));
  if (!event) return fail(event.error().message);
  ev = std::move(event).value();
  return true;
}

}  // namespace rdpmend::events::evtx
