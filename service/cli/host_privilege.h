#pragma once
// What the changing commands need from the OS: whether this process may change the host, and where the
// journal lives (linux/host_privilege.cpp, windows/host_privilege.cpp).

#include <string>

#include "common/result.h"

namespace rdpmend::cli {

// Root (Linux); a member of Administrators with an elevated token (Windows).
bool running_privileged();

// /var/lib/rdpmend/journal.db; %ProgramData%\RdpMend\journal.db.
std::string default_journal_path();

// /var/log/rdpmend; %ProgramData%\RdpMend\logs.
std::string default_log_folder();

// Creates the journal's folder when missing, private to root (0700) or SYSTEM and Administrators.
Status ensure_journal_folder(const std::string& journal_path);

}  // namespace rdpmend::cli
