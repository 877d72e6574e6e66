#include "events/event_element.h"

#include <algorithm>
#include <optional>
#include <vector>

#include <pugixml.hpp>

#include "events/assemble_event.h"

namespace rdpmend::events {
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

std::size_t offset_of(pugi::xml_node node) {
  return node ? static_cast<std::size_t>(std::max<std::ptrdiff_t>(node.offset_debug(), 0)) : 0;
}

RawElement element_at(pugi::xml_node node) {
  return node ? RawElement(offset_of(node)) : std::nullopt;
}

RawText text_of(pugi::xml_node node) {
  return {node.child_value(), offset_of(node)};
}

RawText attribute_of(pugi::xml_node node, const char* name) {
  return {node.attribute(name).value(), offset_of(node)};
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

void read_system(pugi::xml_node system, RawEventFields& raw) {
  auto sys = system_elements(system);
  raw.provider = element_at(sys.provider);
  raw.provider_name = attribute_of(sys.provider, "Name");
  raw.provider_guid = sys.provider.attribute("Guid").value();
  raw.event_source_name = sys.provider.attribute("EventSourceName").value();
  raw.event_id_element = element_at(sys.event_id);
  raw.event_id = text_of(sys.event_id);
  raw.qualifiers = attribute_of(sys.event_id, "Qualifiers");
  raw.version = text_of(sys.version);
  raw.level = text_of(sys.level);
  raw.task = text_of(sys.task);
  raw.opcode = text_of(sys.opcode);
  raw.keywords = text_of(sys.keywords);
  raw.system_time = attribute_of(sys.time_created, "SystemTime");
  raw.record_id = text_of(sys.record_id);
  raw.activity_id = sys.correlation.attribute("ActivityID").value();
  raw.process_id = attribute_of(sys.execution, "ProcessID");
  raw.thread_id = attribute_of(sys.execution, "ThreadID");
  raw.channel = sys.channel.child_value();
  raw.computer = sys.computer.child_value();
  raw.user_sid = sys.security.attribute("UserID").value();
}

void read_event_data(pugi::xml_node event_data, RawEventFields& raw) {
  raw.section = RawEventFields::Section::kEventData;
  for (auto c : event_data.children()) {
    if (c.type() != pugi::node_element) continue;
    auto name = local_name(c.name());
    if (name == "Data") {
      if (auto n = c.attribute("Name")) {
        raw.named_data = true;
        raw.data.push_back({n.value(), c.child_value()});
      } else if (auto inserts = python_evtx_strings(c.child_value())) {
        raw.unnamed_data = true;
        for (auto& s : *inserts) raw.data.push_back({"", std::move(s)});
      } else {
        raw.unnamed_data = true;
        raw.data.push_back({"", c.child_value()});
      }
    } else if (name == "Binary") {
      add_binary_text(raw.binary, c.child_value(), offset_of(c));
      if (raw.binary.bad) return;  // the event is refused: what follows does not matter
    }
  }
}

void read_user_data(pugi::xml_node user_data, RawEventFields& raw) {
  raw.section = RawEventFields::Section::kUserData;
  for (auto c : user_data.children()) {
    if (c.type() != pugi::node_element) continue;
    raw.user_data_element = std::string(local_name(c.name()));
    flatten_user_data(c, "", raw.data);
    break;
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
  RawEventFields raw;
  auto root = doc.document_element();
  raw.root_is_event = root && local_name(root.name()) == "Event";
  if (raw.root_is_event) {
    raw.root_at = offset_of(root);
    raw.event_namespace = root.attribute("xmlns") ? root.attribute("xmlns").value() : inherited_namespace;
    auto system = child(root, "System");
    raw.system = element_at(system);
    read_system(system, raw);
    if (auto event_data = child(root, "EventData"))
      read_event_data(event_data, raw);
    else if (auto user_data = child(root, "UserData"))
      read_user_data(user_data, raw);
    if (auto rendering = child(root, "RenderingInfo"))
      raw.message = child(rendering, "Message").child_value();
  }
  auto event = assemble_event(std::move(raw));
  if (!event) return FragmentError{event.error().at, event.error().message};
  return std::move(event).value();
}

}  // namespace rdpmend::events
