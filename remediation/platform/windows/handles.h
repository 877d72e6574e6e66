#pragma once
// Owners for the Win32 handles the Windows inspectors and actions hold: a kernel HANDLE, LocalAlloc'd memory
// (security descriptors, SIDs, SDDL text), an SC_HANDLE, an event source (RegisterEventSourceW), a
// certificate store and a certificate context. Each closes once, in its destructor, and never throws.

#include <windows.h>

#include <wincrypt.h>

#include <memory>
#include <type_traits>

namespace rdpmend::win {

struct HandleCloser {
  void operator()(HANDLE h) const noexcept {
    if (h && h != INVALID_HANDLE_VALUE) CloseHandle(h);
  }
};
// A kernel handle; CreateFileW's INVALID_HANDLE_VALUE is stored as "none" by the helpers that make one.
using UniqueHandle = std::unique_ptr<void, HandleCloser>;

inline UniqueHandle adopt_handle(HANDLE h) {
  return UniqueHandle(h == INVALID_HANDLE_VALUE ? nullptr : h);
}

struct LocalFreeDeleter {
  void operator()(void* p) const noexcept {
    if (p) LocalFree(p);
  }
};
template <typename T>
using LocalPtr = std::unique_ptr<T, LocalFreeDeleter>;

struct ServiceHandleCloser {
  void operator()(SC_HANDLE h) const noexcept {
    if (h) CloseServiceHandle(h);
  }
};
using UniqueServiceHandle = std::unique_ptr<std::remove_pointer_t<SC_HANDLE>, ServiceHandleCloser>;

struct EventSourceCloser {
  void operator()(HANDLE h) const noexcept {
    if (h) DeregisterEventSource(h);
  }
};
using UniqueEventSource = std::unique_ptr<void, EventSourceCloser>;

struct StoreCloser {
  void operator()(HCERTSTORE store) const noexcept {
    if (store) CertCloseStore(store, 0);
  }
};
using UniqueStore = std::unique_ptr<void, StoreCloser>;

struct CertFree {
  void operator()(const CERT_CONTEXT* cert) const noexcept {
    if (cert) CertFreeCertificateContext(cert);
  }
};
using UniqueCert = std::unique_ptr<const CERT_CONTEXT, CertFree>;

}  // namespace rdpmend::win
