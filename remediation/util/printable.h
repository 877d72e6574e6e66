#pragma once
// Outside text made safe to show a person on a terminal or in a log. An event message, a file name, a
// certificate subject or a configuration value may carry escape sequences (ESC [ 2 J clears the screen, an
// OSC sequence retitles the window) or bytes that are not UTF-8; printed raw they act on the terminal or
// forge log lines. Only the untrusted values go through here, not our own layout, so a report keeps its
// own line breaks.

#include <string>
#include <string_view>

namespace rdpmend::util {

// `text` with every control character written out visibly:
// - C0 controls (0x00-0x1F, line breaks and TAB included) and DEL (0x7F) as `\xNN` (ESC is `\x1b`);
// - C1 controls (U+0080-U+009F, e.g. the 8-bit CSI U+009B) as `\u00NN`;
// - each byte that is not part of a valid UTF-8 sequence (stray continuation bytes, overlong forms,
//   surrogates, code points past U+10FFFF, a cut-off sequence) as `\xNN`.
// Valid UTF-8 text is unchanged. Backslashes are kept as they are (Windows paths and registry keys are full
// of them), so the output is for reading, not for decoding back. Applying it twice changes nothing more.
std::string printable(std::string_view text);

}  // namespace rdpmend::util
