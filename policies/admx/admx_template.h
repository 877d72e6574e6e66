#pragma once
// The Group Policy template of the policy table: RdpMend.admx (the definitions) and en-US/RdpMend.adml (the
// English texts). One Machine policy per setting, key SOFTWARE\Policies\RdpMend, registry value name = the
// setting's name, written as the Windows reader reads it (switches REG_DWORD 1/0, numbers REG_DWORD,
// choices REG_DWORD index or REG_SZ name, text REG_SZ), with the table's range, choices and default.
// Built from policy_table() only, so the template cannot drift from what the agent reads. Pure: returns
// the documents (UTF-8, LF, two-space indentation, the same bytes on every run); writes nothing.

#include <string>
#include <string_view>

namespace rdpmend::policy::admx {

inline constexpr std::string_view kAdmxFileName = "RdpMend.admx";
inline constexpr std::string_view kAdmlFolder = "en-US";  // the ADML's language, and its folder
inline constexpr std::string_view kAdmlFileName = "RdpMend.adml";

// The Group Policy key every policy writes, without its hive: "SOFTWARE\Policies\RdpMend" (the key the
// Windows reader reads, SourceOptions::group_policy_key, below HKLM).
std::string policy_key();

std::string admx_document();
std::string adml_document();

}  // namespace rdpmend::policy::admx
