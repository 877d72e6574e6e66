#include "inspect/linux/xrdp_ini.h"

#include <charconv>
#include <sstream>

#include "util/encoding.h"

namespace rdpmend::inspect::linux_host {
namespace {

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::optional<std::uint16_t> port_number(const std::string& text) {
  unsigned v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v == 0 || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

std::string resolve(const std::string& value, const std::string& fallback, const std::string& dir) {
  if (value.empty()) return dir + "/" + fallback;
  if (value[0] == '/') return value;
  return dir + "/" + value;
}

}  // namespace

Result<ListenerSettings> parse_xrdp_ini(const std::string& text, const std::string& config_dir) {
  ListenerSettings s;
  std::istringstream in(text);
  std::string line, section, certificate, key_file;
  bool saw_globals = false;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']')
        return Error{"read xrdp.ini", "line " + std::to_string(number), "unclosed section"};
      section = util::to_lower_ascii(line.substr(1, line.size() - 2));
      saw_globals |= section == "globals";
      continue;
    }
    if (section != "globals") continue;
    auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = util::to_lower_ascii(trim(line.substr(0, eq)));
    std::string value = trim(line.substr(eq + 1));
    if (key == "port") {
      if (value.starts_with("tcp://") || value.starts_with("tcp6://")) {
        std::string rest = value.substr(value.find("//") + 2);
        auto colon = rest.rfind(':');
        if (colon == std::string::npos)
          return Error{"read xrdp.ini", "line " + std::to_string(number),
                       "port '" + value + "' has no port number"};
        std::string addr = rest.substr(0, colon);
        if (addr.size() >= 2 && addr.front() == '[' && addr.back() == ']')
          addr = addr.substr(1, addr.size() - 2);
        s.address = addr;
        s.port = port_number(rest.substr(colon + 1));
      } else if (value.starts_with("unix://") || value.starts_with("vsock://")) {
        s.error = "xrdp listens on '" + value + "', not on TCP";
      } else {
        s.port = port_number(value);
      }
      if (!s.port && s.error.empty())
        return Error{"read xrdp.ini", "line " + std::to_string(number), "port '" + value + "' is not a port"};
    } else if (key == "address") {
      if (s.address.empty()) s.address = value;
    } else if (key == "security_layer") {
      std::string v = util::to_lower_ascii(value);
      if (v == "rdp")
        s.security_layer = 0;
      else if (v == "negotiate")
        s.security_layer = 1;
      else if (v == "tls")
        s.security_layer = 2;
      else
        return Error{"read xrdp.ini", "line " + std::to_string(number),
                     "security_layer '" + value + "' is unknown"};
    } else if (key == "certificate") {
      certificate = value;
    } else if (key == "key_file") {
      key_file = value;
    } else if (key == "ssl_protocols") {
      s.ssl_protocols = value;
    }
  }
  if (!saw_globals) return Error{"read xrdp.ini", config_dir, "no [Globals] section"};
  if (!s.port) s.port = 3389;
  s.certificate_path = resolve(certificate, "cert.pem", config_dir);
  s.key_path = resolve(key_file, "key.pem", config_dir);
  return s;
}

ListenerSettings parse_xrdp_ini_text(const std::string& text, const std::string& origin) {
  // xrdp resolves relative certificate paths against its configuration folder, /etc/xrdp.
  auto parsed = parse_xrdp_ini(text, "/etc/xrdp");
  if (!parsed) {
    ListenerSettings s;
    s.error = origin + ": " + parsed.error().message();
    return s;
  }
  return std::move(parsed).value();
}

}  // namespace rdpmend::inspect::linux_host
