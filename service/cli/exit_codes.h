#pragma once
// Exit statuses shared by every command; documented in `rdpmend --help` and the README.

namespace rdpmend::cli {

enum ExitCode : int {
  kExitOk = 0,             // healthy / done
  kExitProblemsFound = 1,  // symptoms (warning or worse) or findings were found
  kExitUsage = 2,          // bad command line
  kExitInputError = 3,     // some input could not be read (each error is listed)
  kExitNotPermitted = 4,   // the OS denied access (run as administrator / root)
  kExitUnsupported = 5,    // not available on this platform
  kExitUnreachable = 6,    // probe: the listener cannot be reached (name, refused, filtered, no reply)
  kExitNotRdp = 7,         // probe: something other than RDP answers on the port
  kExitInternal = 70,      // a defect: an unexpected exception
};

inline constexpr const char* kExitCodeHelp =
    "Exit status: 0 healthy/done, 1 problems found, 2 bad usage, 3 input could not be read,\n"
    "4 not permitted, 5 not available on this platform, 6 not reachable, 7 not an RDP server, 70 internal "
    "error.";

}  // namespace rdpmend::cli
