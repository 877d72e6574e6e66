#include "windows/data_folders.h"

#include <windows.h>

#include "actions/windows/file_acl.h"
#include "platform/windows/win_text.h"

namespace rdpmend::service {
namespace {

// CreateDirectoryW on each missing component; an existing component is judged by open_object later (for the
// leaf) or was made by Windows (ProgramData itself).
Status create_folder(const std::wstring& folder) {
  if (CreateDirectoryW(folder.c_str(), nullptr)) return Ok{};
  const DWORD code = GetLastError();
  if (code == ERROR_ALREADY_EXISTS) return Ok{};
  if (code == ERROR_PATH_NOT_FOUND) {
    const auto slash = folder.find_last_of(L"\\/");
    if (slash == std::wstring::npos || slash == 0)
      return Error{"create the folder", win::narrow(folder), win::error_text(code)};
    if (auto parent = create_folder(folder.substr(0, slash)); !parent) return parent;
    if (CreateDirectoryW(folder.c_str(), nullptr) || GetLastError() == ERROR_ALREADY_EXISTS) return Ok{};
    return Error{"create the folder", win::narrow(folder), win::error_text(GetLastError())};
  }
  return Error{"create the folder", win::narrow(folder), win::error_text(code)};
}

}  // namespace

Status secure_data_folders(const std::vector<std::wstring>& folders) {
  const std::string what = "restrict the agent's data folder to SYSTEM and Administrators";
  for (const auto& folder : folders) {
    if (auto made = create_folder(folder); !made) return made;
    auto handle = actions::windows::open_object(folder, actions::windows::ObjectKind::kFolder,
                                                /*for_writing=*/true, what);
    if (!handle) return handle.error();
    if (auto written =
            actions::windows::write_sddl(handle.value().get(), kDataFolderSddl, what, win::narrow(folder));
        !written)
      return written;
  }
  return Ok{};
}

}  // namespace rdpmend::service
